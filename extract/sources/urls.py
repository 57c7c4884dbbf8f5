"""Canonical URLs: the one form of an article's address behind its many links (tracking
parameters dropped, see the reviewable table :data:`TRACKING_PARAMETERS`), and the check that
keeps a link only when it is an absolute http(s) address (:func:`http_link`), so that a
``javascript:`` link never reaches the app."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, unquote_plus, urljoin, urlsplit, urlunsplit

__all__ = ["TRACKING_PARAMETERS", "canonical_url", "http_link"]

#: Query parameters that only say where a click came from (a campaign, an ad, a share, a
#: mail-out): :func:`canonical_url` drops them. A name ending in ``*`` is a prefix; names are
#: compared in lower case. Generic names that some sites use to choose the content (``ref``,
#: ``source``, ``id``, ``page``) are deliberately not listed.
TRACKING_PARAMETERS: dict[str, str] = {
    # name                    who sets it
    "utm_*": "Google Analytics campaign tags (utm_source, utm_medium, utm_campaign, …)",
    "fbclid": "Facebook click id",
    "gclid": "Google Ads click id",
    "gclsrc": "Google Ads click source",
    "dclid": "Google Display & Video click id",
    "gbraid": "Google Ads click id (iOS apps)",
    "wbraid": "Google Ads click id (iOS web)",
    "_ga": "Google Analytics cross-domain linker",
    "_gl": "Google Analytics cross-domain linker",
    "msclkid": "Microsoft Advertising click id",
    "yclid": "Yandex click id",
    "twclid": "X (Twitter) click id",
    "ttclid": "TikTok click id",
    "li_fat_id": "LinkedIn click id",
    "igshid": "Instagram share id",
    "igsh": "Instagram share id",
    "mc_cid": "Mailchimp campaign id",
    "mc_eid": "Mailchimp recipient id",
    "_hsenc": "HubSpot e-mail tracking",
    "_hsmi": "HubSpot e-mail tracking",
    "hsa_*": "HubSpot ads tags",
    "mkt_tok": "Marketo e-mail tracking",
    "vero_id": "Vero e-mail tracking",
    "vero_conv": "Vero e-mail tracking",
    "oly_anon_id": "Omeda reader tracking",
    "oly_enc_id": "Omeda reader tracking",
    "pk_*": "Matomo (Piwik) campaign tags",
    "mtm_*": "Matomo campaign tags",
    "at_*": "AT Internet / Piano Analytics tags (the BBC's at_medium, at_campaign, …)",
    "xtor": "AT Internet campaign tag (French news sites)",
    "ns_*": "comScore campaign tags (ns_mchannel, ns_source, ns_campaign, …)",
    "s_cid": "Adobe Analytics campaign id",
    "cmpid": "campaign id (Adobe Analytics and many news sites)",
    "ocid": "Microsoft (MSN) campaign id",
    "smid": "New York Times share id",
    "ref_src": "X (Twitter) embed referrer",
    "ref_url": "X (Twitter) embed referrer",
    "__twitter_impression": "X (Twitter) impression flag",
    "guccounter": "Yahoo consent redirect",
    "guce_referrer": "Yahoo consent redirect",
    "guce_referrer_sig": "Yahoo consent redirect",
}
_TRACKING_NAMES = frozenset(k for k in TRACKING_PARAMETERS if not k.endswith("*"))
_TRACKING_PREFIXES = tuple(k[:-1] for k in TRACKING_PARAMETERS if k.endswith("*"))
_DEFAULT_PORTS = {"http": 80, "https": 443}
# RFC 3986 unreserved characters: their percent-encoded and plain forms are the same URL.
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT_RE = re.compile(r"%([0-9A-Fa-f]{2})")
# Characters left as they are in a path or query (reserved ones keep their meaning; "%" keeps
# existing escapes); anything else (spaces, non-ASCII) is percent-encoded as UTF-8.
_URL_SAFE = "/%:@!$&'()*+,;=-._~?"


def canonical_url(url: str) -> str:
    """The form of ``url`` used to recognise one page behind different links.

    The scheme and host are lower-cased (an internationalised host is IDNA-encoded), the
    default port (80 for http, 443 for https), the fragment and the tracking parameters of
    :data:`TRACKING_PARAMETERS` are dropped, ``.``/``..`` path segments are resolved, percent
    escapes are normalised (RFC 3986: upper-case hex, unreserved characters unescaped, spaces
    and non-ASCII escaped) and the remaining query parameters are sorted by name (repeated
    names keep their order).

    The rest is kept as it is: a path's case, reserved characters such as ``+`` or ``;``,
    and a trailing slash all may change the page on some servers.

    courlan's ``normalize_url`` was weighed and not used: it escapes reserved characters in
    paths (``+`` → ``%2B``, which some servers read differently), leaves ``..`` segments,
    decodes punycode hosts to Unicode (where look-alike letters hide) and drops any query
    parameter whose name merely contains "ga", "ref" or "source" (``?gallery=2``), which can
    choose the page.

    A string that is not an absolute URL (no scheme or no host) is returned stripped.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # "http://[::1", "http://e.com:99999"
        return text
    if not parts.scheme or not parts.netloc:
        return text
    scheme = parts.scheme.lower()
    netloc = _canonical_host(parts.hostname or "")
    if parts.username is not None:  # rare in links; kept, since it can choose the page
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{netloc}"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    path = _normalize_escapes(_remove_dot_segments(parts.path)) or "/"
    kept = [
        _normalize_escapes(part)
        for part in parts.query.split("&")
        if part and not _is_tracking(_parameter_name(part))
    ]
    kept.sort(key=_parameter_name)  # stable: a repeated name keeps its values' order
    return urlunsplit((scheme, netloc, path, "&".join(kept), ""))


def http_link(raw: Any, base: str) -> str | None:
    """``raw`` resolved against ``base``, if that is an http(s) URL with a host; else ``None``."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    link = raw.strip()
    try:
        if base:
            link = urljoin(base, link)
        parts = urlsplit(link)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not host:
        return None
    return link


def _canonical_host(host: str) -> str:
    host = host.rstrip(".")  # "example.com." is example.com
    if ":" in host:  # IPv6
        return f"[{host}]"
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: "/a/./b/../c" → "/a/c"."""
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == ".":
            if last:
                out.append("")
        elif segment == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    result = "/".join(out)
    return "/" + result if path.startswith("/") and not result.startswith("/") else result


def _normalize_escapes(part: str) -> str:
    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else f"%{match.group(1).upper()}"

    return quote(_PERCENT_RE.sub(fix, part), safe=_URL_SAFE, errors="replace")


def _parameter_name(part: str) -> str:
    return unquote_plus(part.split("=", 1)[0]).strip().lower()


def _is_tracking(name: str) -> bool:
    return name in _TRACKING_NAMES or name.startswith(_TRACKING_PREFIXES)
