"""Downloading one http(s) URL with a deadline and a size cap (:func:`fetch_url`, used by the
app's "Fetch a URL"; re-exported by :mod:`extract.sources.readers`)."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from extract.errors import InputError

__all__ = ["FETCH_TIMEOUT", "MAX_FETCH_BYTES", "Fetched", "fetch_url", "human_size", "with_scheme"]

# a bare address as people copy it: "www.example.org/news", "example.org:8080/a"
_BARE_HOST = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:[/?#]|$)")


def with_scheme(url: str) -> str:
    """``url`` with ``https://`` in front when it is a bare address ("www.example.org/a");
    anything else (another scheme, ``javascript:``, text) as it is, for the scheme check."""
    url = url.strip()
    if "://" not in url and _BARE_HOST.match(url):
        return "https://" + url
    return url


#: Largest body :func:`fetch_url` reads by default.
MAX_FETCH_BYTES = 10 * 1024 * 1024
#: Seconds :func:`fetch_url` waits by default, for the whole download.
FETCH_TIMEOUT = 10.0


def human_size(n: int) -> str:
    return f"{n / 2**20:,.1f} MiB" if n >= 2**20 else f"{n:,} bytes"


@dataclass(frozen=True, slots=True)
class Fetched:
    """What :func:`fetch_url` downloaded: the body, its ``Content-Type`` and the final URL."""

    data: bytes
    content_type: str
    url: str


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) addresses only (urllib also follows them to ftp://)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise InputError(
                f"redirected to {newurl!r}, which is not an http(s) address; not followed",
                source=req.full_url,
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_url(
    url: str, *, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_FETCH_BYTES
) -> Fetched:
    """Download an http(s) URL, with a deadline and a size cap.

    Parameters
    ----------
    url
        An ``http://`` or ``https://`` address; anything else (``file:``, ``ftp:``,
        ``javascript:``...) is refused without any access. Redirects are followed to http(s)
        addresses only.
    timeout
        Seconds for the whole download: a server that answers slowly, or sends its body a few
        bytes at a time, is given up on after about this long (at most twice it).
    max_bytes
        Largest body read; a larger one (declared or actual) is refused after reading at most
        ``max_bytes + 1`` bytes.

    Raises
    ------
    InputError
        With a one-line message naming the URL: not http(s), unreachable, timed out, HTTP error
        status, too large.
    """
    url = with_scheme(url)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        shown = f"{parts.scheme}:" if parts.scheme else "no scheme"
        raise InputError(
            f"only http:// and https:// addresses can be fetched (got {shown})", source=url[:200]
        )
    opener = urllib.request.build_opener(_HttpOnlyRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": "Dateline/0.1 (+offline app)"})
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as resp:
            declared = resp.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, max_bytes, declared=int(declared))
            chunks: list[bytes] = []
            size = 0
            while size <= max_bytes:
                if time.monotonic() > deadline:
                    raise InputError(
                        f"timed out: the download took more than {timeout:g} s", source=url
                    )
                chunk = resp.read1(min(64 * 1024, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if size > max_bytes:
                raise _too_large(url, max_bytes)
            return Fetched(b"".join(chunks), resp.headers.get("Content-Type", ""), resp.geturl())
    except urllib.error.HTTPError as exc:
        message = f"the server answered HTTP {exc.code} ({exc.reason})"
        raise InputError(message, source=url) from None
    except TimeoutError:
        raise InputError(f"timed out: no answer within {timeout:g} s", source=url) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise InputError(f"timed out: no answer within {timeout:g} s", source=url) from None
        raise InputError(f"cannot connect: {exc.reason}", source=url) from None
    except (OSError, ValueError) as exc:  # reset connection, bad chunked encoding, bad port...
        raise InputError(f"cannot fetch: {exc}", source=url) from None


def _too_large(url: str, limit: int, *, declared: int | None = None) -> InputError:
    size = f"{human_size(declared)}" if declared is not None else f"more than {human_size(limit)}"
    return InputError(
        f"too large: the body is {size}; the limit is {human_size(limit)}; not read", source=url
    )
