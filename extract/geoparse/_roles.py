"""Roles of place mentions: a location (``literal``), a government, organisation or side
(``associative``: "Kyiv said", "Ukraine's General Staff", "Kenya Red Cross", "pro-Moscow") or
a demonym. The cue words are tables an analyst can review and extend.
"""

from __future__ import annotations

import re

from extract.geoparse._tokens import Mention, Token

__all__ = ["SPEECH_VERBS", "mention_role"]

_SPEECH = frozenset(
    "said says say suspects suspected suspect announced announces announce accused accuses "
    "accuse warned warns warn claimed claims claim denied denies deny insists insisted insist "
    "hailed hail hails wants want wanted believes believe believed urged urges urge demanded "
    "demands condemned condemns rejected rejects agreed agrees signed signs threatened "
    "threatens vowed vows pledged pledges responded responds confirmed confirms decided "
    "decline declined declines argued argues argue insisted stressed stresses noted notes "
    "told tells expects expected expect recognized recognised recalled recalls imposed "
    "imposes sanctioned sanctions approved approves refused refuses demanded asked asks "
    "called calls summoned summons expelled expels negotiated negotiates criticized "
    "criticised criticizes criticises supports supported opposes opposed thinks thought "
    "considers considered fears feared hopes hoped plans planned seeks sought".split()
)
# what a government does, said of its capital ("Pyongyang fires", "Moscow sent")
_STATE_ACTIONS = frozenset(
    "fires fired launches launched tests tested sends sent deploys deployed supplies supplied "
    "delivers delivered provides provided backs backed orders ordered invades invaded "
    "annexed annexes recalls recalled expels expelled".split()
)
# nouns after a capital's "X's" that make X its government ("Moscow's support")
_STANCES = frozenset(
    "support decision decisions invasion war plan plans policy policies offer response position "
    "demand demands claim claims stance refusal threat threats role ties relationship backing "
    "aggression efforts effort approach request proposal involvement ambitions intentions "
    "strategy interests objections reaction move moves attempt attempts insistence".split()
)
# nouns after "X's" that keep X a location ("Moscow's outskirts")
_PLACE_PARTS = frozenset(
    "outskirts suburbs suburb centre center downtown streets street districts district "
    "airport airports port harbour harbor metro subway residents mayor skyline outskirt "
    "neighbourhoods neighborhoods main old historic".split()
)
_ADVERBS = frozenset(
    "often also now still jointly repeatedly reportedly both again regularly frequently "
    "openly publicly recently quickly".split()
)
#: Verbs that make a preceding place name its government speaking ("Kyiv said").
_AUX = frozenset("has had have will would is was are were also has not did does may might".split())
_GOV = frozenset(
    "government governments president presidents prime foreign defence defense military forces "
    "army navy ministry minister ministers officials official leader leaders leadership "
    "ambassador embassy regime authorities administration intelligence dictatorship "
    "parliament congress lawmakers diplomats diplomat spokesman spokeswoman spokesperson "
    "invasion war troops soldiers envoy delegation negotiators cabinet junta kremlin".split()
)
# after "X's" only: "Ukraine's General Staff", "Kenya's police" (but "Nairobi police said"
# is where the police are)
_GOV_OF = _GOV | frozenset(
    "general staff armed security interior national state emergency emergencies prosecutor "
    "prosecutors police".split()
)
_ORG_TAILS = frozenset(
    "University College School Institute Hospital Police Department Ministry Council Times Post "
    "Herald Tribune Journal News Press Daily Gazette Party Club FC United Rockets Airlines "
    "Airways Bank Corporation Company Group Records Museum Stadium Airport Station Cross "
    "Crescent Forces Force Army Navy Guard Guards Staff Service Services Commission Court "
    "Authority Agency Society Bureau Office Administration Command Federation Association "
    "Broadcasting Committee Directorate Secretariat".split()
)


#: Verbs that make a preceding place name its government speaking ("Kyiv said").
SPEECH_VERBS = _SPEECH


def mention_role(
    text: str,
    m: Mention,
    tokens: list[Token],
    next_mention: Mention | None,
    *,
    capital: bool = False,
) -> str:
    """``literal``, ``associative`` ("Kyiv said", "Kenya Red Cross", "pro-Moscow") or
    ``demonym`` for one mention; ``next_mention`` is the document's next one and ``capital``
    whether the mention resolved to a national capital ("Pyongyang fires missiles")."""
    if m.demonym is not None:
        return "demonym"
    j = m.last_token + 1
    after = text[m.end : m.end + 3]
    if after.startswith(("'s", "’s", "'S", "’S")):
        nxt = _next_word(tokens, j, m.end + 2)
        if nxt is not None and nxt.key in _GOV_OF:
            return "associative"
        if capital and nxt is not None and not nxt.upper and _abstract(nxt.text):
            return "associative"  # "Pyongyang's test-firing", "Moscow's support"
        return "literal"
    nxt = tokens[j] if j < len(tokens) else None
    if nxt is None:
        return "literal"
    before = text[max(0, m.start - 12) : m.start].lower()
    if re.search(r"\b(?:in|at|from|near|outside|across)\s+(?:the\s+)?$", before):
        return "literal"  # "officials in Kharkiv said": the place, not the speaker
    gap = text[m.end : nxt.start]
    if gap == " " and m.cue is None and _org_tail(text, tokens, j):
        return "associative"  # "Kenya Red Cross", "Ukraine Defence Ministry": an organisation
    if before.endswith(("pro-", "anti-")):
        return "associative"  # "pro-Moscow", "anti-Kyiv": a side, not a location
    if gap.strip() == "" and nxt.key in _SPEECH:
        return "associative"
    if capital and gap == " " and nxt.key in _STATE_ACTIONS:
        return "associative"  # "Pyongyang fires missiles": the government acts
    if (
        gap.strip() == ""
        and nxt.key in _ADVERBS
        and j + 1 < len(tokens)
        and tokens[j + 1].key in _SPEECH
    ):
        return "associative"  # "Pyongyang often hails"
    if (
        gap.strip() == ""
        and nxt.key in _AUX
        and j + 1 < len(tokens)
        and tokens[j + 1].key in _SPEECH
    ):
        return "associative"
    if gap.strip() == "" and not nxt.upper and nxt.key in _GOV:
        return "associative"
    # "Moscow and Pyongyang hail …": coordinated subjects share the verb
    if gap == " " and nxt.key == "and" and next_mention is not None:
        other = next_mention
        if other.first_token == j + 1:
            after_other = other.last_token + 1
            if after_other < len(tokens) and tokens[after_other].key in _ADVERBS:
                after_other += 1
            if after_other < len(tokens):
                t = tokens[after_other]
                if t.key in _SPEECH or (
                    t.key in _AUX
                    and after_other + 1 < len(tokens)
                    and tokens[after_other + 1].key in _SPEECH
                ):
                    return "associative"
    return "literal"


def _org_tail(text: str, tokens: list[Token], j: int) -> bool:
    """Whether the capitalized words from token ``j`` on end in an organisation's type word:
    "Red Cross", "Defence Forces", "Regional Military Administration"."""
    for k in range(j, min(j + 4, len(tokens))):
        t = tokens[k]
        if not t.upper or (k > j and text[tokens[k - 1].end : t.start] != " "):
            return False
        if (t.text.title() if t.caseless_line else t.text) in _ORG_TAILS:
            return True
    return False


def _abstract(word: str) -> bool:
    """An action or stance noun after a capital's possessive: the government, not the city."""
    w = word.lower()
    return w in _STANCES or (w.endswith("ing") and w not in _PLACE_PARTS) or w.startswith("test")


def _next_word(tokens: list[Token], j: int, pos: int) -> Token | None:
    for t in tokens[j : j + 3]:
        if t.start >= pos:
            return t
    return None
