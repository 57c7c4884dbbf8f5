"""Cue words of place-name recognition, as tables an analyst can review and extend.

The recognizer (:mod:`extract.geoparse.recognize`) matches capitalized names against the gazetteer;
these tables say when a match is a person, an organisation, a word or a typed area instead.
Every entry is ordinary English (or Spanish/French wire-copy) vocabulary or a well-known
organisation, never a name taken from an evaluation set.
"""

from __future__ import annotations

import re

__all__ = [
    "ADMIN_CUES",
    "APPOSITIVE",
    "APPOSITIVE_WEAK",
    "AREA_NOUNS",
    "CALENDAR",
    "CITY_CUES",
    "CONNECTORS",
    "DISEASE_HEADS",
    "DISEASE_MODIFIERS",
    "FEATURE_ALONE",
    "FEATURE_BEFORE",
    "FEATURE_HEADS",
    "GROUP_WORDS",
    "HOLIDAYS",
    "KIN",
    "NAME_PARTICLES",
    "NAME_SUFFIXES",
    "PERSONAL_ACTS",
    "PERSONAL_SPEECH",
    "LOCAL_NOUNS",
    "NOT_PLACES",
    "ORG_HEADS",
    "ORG_WORDS",
    "PERSON_BEFORE",
    "PLACE_NOUN_BEFORE",
    "PLURAL_CUES",
    "PRODUCT_HEADS",
    "REGION_ADJECTIVES",
    "ROLES",
    "STOPWORDS",
    "TITLES",
    "WORD_NAMES",
]

#: Lower-case words that may join the parts of one name ("Rostov-on-Don", "Bin Qirdan").
CONNECTORS = frozenset(
    "of and de del della di da do dos das du des la le les el al am an upon on the sur en y "
    "i im in-der bin ibn ez es ash ad ar as at az ed er et ul ut au aux".split()
)
#: Titles before a person's name ("Mr. Jordan", "COLONEL …"); written capitalized.
TITLES = frozenset(
    "mr mrs ms miss dr president sen senator rep representative gov governor judge justice gen "
    "general col colonel capt captain lt sgt sergeant prof professor rev reverend sir lord lady "
    "king queen prince princess pope saint st. minister chancellor mayor coach officer detective "
    "agent chief dame uncle aunt brother sister father mother msgr monsignor bishop archbishop "
    "cardinal maj cpl corporal adm admiral cmdr commander lieut lieutenant insp inspector "
    "comandante don dona senor senora sr sra sheriff marshal trooper constable warden dean "
    "rabbi ayatollah".split()
)
#: Occupations and roles written before a name, in lower case too ("journalist Ana Ruiz").
ROLES = frozenset(
    "journalist journalists reporter photographer correspondent editor attorney lawyer "
    "prosecutor spokesman spokeswoman spokesperson chairman chairwoman coordinator leader "
    "councilman councilmen councilwoman councillor councilor congressman congresswoman "
    "deputy candidate activist businessman businesswoman farmer student teacher priest "
    "pastor imam cleric sheikh ambassador envoy diplomat commissioner superintendent "
    "policeman patrolman soldier kingpin trafficker landowner peasant unionist "
    "economist analyst expert director secretary vice-president".split()
)
#: Lower-case particles inside a person's name between the given name and the surname ("Mike
#: de Kock", "Ludwig van Beethoven", "Omar bin Laden"): the surname after them is no place.
NAME_PARTICLES = frozenset(
    "de da di do dos das du del della der den van von ter ten le la bin ibn ben al el".split()
)
#: Generational suffixes after a surname ("Martin Luther King Jr.", "John Dorsett, Sr.").
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
#: Verbs of a person speaking, after or before a bare name ("Dorsett said", "said Dorsett"): a
#: village does not speak, so a hamlet's name there is a person's surname.
PERSONAL_SPEECH = frozenset(
    "said says told added explained recalled recalls admitted admits wrote writes tweeted "
    "continued laughed joked replied replies answered".split()
)
#: Verbs only a person does, right after a bare name ("Cher sang", "Bono tweeted"): a singer
#: or an actor known by one name, not the département or the city of that name. Verbs a
#: state or a country does too ("performed", "posted", "wrote to") are not here, and a
#: country's name is never read so.
PERSONAL_ACTS = frozenset(
    "sang sings starred tweeted danced dances married divorced apologized apologised smiled "
    "laughed cried wept recorded toured".split()
)
#: Kin and companions that make "the <kin> of <Name>" a person ("the widow of Lugo").
KIN = frozenset(
    "wife husband son sons daughter daughters widow brother sister father mother nephew niece "
    "cousin relative relatives family bodyguard bodyguards lawyer driver".split()
)
#: English words that the given-name list also holds ("Will", "Hope"): in all-caps copy, where
#: case cannot tell them apart, they open no person's name.
WORD_NAMES = frozenset(
    "way take love am free night done five oh ago win else soon age fine won boy door river beat "
    "anti ice hi sun gun fan floor fair file lies core sky kick trees honor loan joke sub storm "
    "max urban novel ah tiny desire hang heaven diet constant tie fee thin harm innocent "
    "charity ideal odd vital wolf ties chip precious slave edit will bill mark rose hope "
    "grace june may major king man general judge justice young white black brown green gray "
    "grey long early summer autumn winter spring day dawn ray sunny rich bright star royal "
    "christian islam jesus christ son".split()
)
#: Function words that are also given names somewhere ("In", "Will", "An").
STOPWORDS = frozenset(
    "a an the in on at of to for from by with and or but as is was are were be been will would "
    "can could may might must shall should not no yes so if then than that this these those it "
    "its he she they we you i me him her them us our your their his my all any some many more "
    "most much few one two three new old after before since during while when where who what "
    "why how about over under into out up down off near via per also still even just only "
    "both each every other such own same very too again further once here there".split()
)
#: Capitalized words that make the name before or after them an organisation or a thing.
ORG_WORDS = frozenset(
    "university college school academy institute hospital police department ministry council "
    "corporation corp inc ltd company group bank times post herald tribune journal news press "
    "daily gazette party club fc united city rovers rockets airlines airways air records "
    "street avenue road boulevard lane drive square court centre center hall stadium arena "
    "park church cathedral museum hotel restaurant mall station airport bridge".split()
)
#: Capitalized words that make the name after them an organisation ("Radio Kursk").
ORG_HEADS = frozenset(
    "radio television tv channel agency newspaper diario banco bank hotel club universidad "
    "university colegio airline airlines".split()
)
#: Type words after a name and the kind of area they ask for ("Kursk region", "X district").
#: "adm" is an admin-1 or admin-2 area: a department is the one in Latin America, the other
#: in France.
ADMIN_CUES = {
    "region": "adm1",
    "oblast": "adm1",
    "province": "adm1",
    "state": "adm1",
    "governorate": "adm1",
    "prefecture": "adm1",
    "krai": "adm1",
    "voivodeship": "adm1",
    "county": "adm2",
    "parish": "adm2",
    "department": "adm",
    "departamento": "adm",
    "district": "district",
    "raion": "district",
    "rayon": "district",
    "borough": "district",
    "neighbourhood": "district",
    "neighborhood": "district",
    "suburb": "district",
}
#: Feature words after a name that make it the feature's name ("the Ohio River", "Vancouver
#: Island"); airports, ports and stations are not here: "Kherson airport" is at Kherson.
FEATURE_HEADS = frozenset(
    "river rivers lake lakes island islands isle mountain mountains range valley creek canal "
    "reservoir dam forest desert peninsula strait bay delta falls glacier".split()
)
#: Feature words that are no place alone ("Island" is an old name of Iceland); "the Valley"
#: may be a local name.
FEATURE_ALONE = frozenset({"island", "isle", "islands", "river", "lake", "mountains"})
#: Feature words before a name ("Mount Kenya", "Lake Champlain").
FEATURE_BEFORE = frozenset({"mount", "mt", "lake", "mont", "monte"})
#: Words that end a disease's name: a place before them names the disease, not a location
#: ("Lassa fever", "Marburg virus", "Spanish flu", "Rift Valley fever").
DISEASE_HEADS = frozenset(
    "virus viruses fever flu influenza encephalitis disease syndrome pox".split()
)
#: Lower-case words inside a disease's name between the place and its head ("Crimean-Congo
#: hemorrhagic fever", "Middle East respiratory syndrome", "Rocky Mountain spotted fever").
DISEASE_MODIFIERS = frozenset(
    "hemorrhagic haemorrhagic respiratory spotted equine swine avian bird virus".split()
)
#: Lower-case nouns that, right after a place's name, make a thing named after it: "Peking
#: duck", "Brussels sprouts", "Buffalo wings", "Panama hat", "Bermuda shorts", "Yorkshire
#: terrier". The place is no mention of where something happened.
PRODUCT_HEADS = frozenset(
    "duck sprouts wings mustard hat hats shorts sausage sausages steak steaks stew sauce "
    "dressing pastry pastries fries toast terrier terriers spaniel spaniels retriever "
    "retrievers cabbage lettuce cheese horse horses pony ponies".split()
)
#: Holidays and feasts named like a place ("Christmas", Florida): alone, they are the day.
HOLIDAYS = frozenset(
    "christmas easter halloween thanksgiving hanukkah passover ramadan diwali lent advent "
    "epiphany pentecost".split()
)
#: Plural type words after a list of names, and the singular each name takes ("Marion, Polk
#: and Benton counties" are Marion County, Polk County and Benton County).
PLURAL_CUES = {
    "counties": "county",
    "parishes": "parish",
    "regions": "region",
    "oblasts": "oblast",
    "provinces": "province",
    "governorates": "governorate",
    "states": "state",
    "prefectures": "prefecture",
    "departments": "department",
    "districts": "district",
    "raions": "raion",
    "rayons": "rayon",
    "rivers": "river",
    "lakes": "lake",
    "islands": "island",
    "mountains": "mountains",
}
#: Months and weekdays are never places on their own ("March", "May", "Sunday").
CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday".split()
)
#: Adjectives between a name and its type word ("the Kursk border region").
REGION_ADJECTIVES = frozenset(
    "border frontline front-line southern northern eastern western central southeastern "
    "southwestern northeastern northwestern occupied breakaway restive annexed".split()
)
#: Lower-case words after a name that make it a group ("the Fano militia").
GROUP_WORDS = frozenset(
    "militia militias militiamen group groups movement party rebels fighters clan clans tribe "
    "tribes brigade battalion gang gangs cartel faction".split()
)
#: Armed groups and organisations whose names are also villages somewhere ("Taliban" is one
#: in Turkey, "Hamas" a spelling of Hamm): never places.
NOT_PLACES = frozenset(
    [
        "taliban", "hamas", "hezbollah", "hizbollah", "houthi", "houthis", "al shabaab",
        "shabaab", "boko haram", "isis", "isil", "daesh", "farc", "eln", "pkk", "ypg", "sdf",
        "hts", "fatah", "janjaweed", "rsf", "m23", "adf", "iswap", "jnim", "aqap", "aqim",
        "tatmadaw", "al qaeda", "red cross", "red crescent", "interpol", "europol", "frontex",
        "unicef", "unhcr", "nato", "gavi", "cepi", "la nina", "el nino",
    ]
)  # fmt: skip
#: Nouns after "the <name>" that keep it a place in caps copy ("THE JUBA RIVER").
AREA_NOUNS = frozenset(
    "area river valley region department province district county municipality border road "
    "highway zone sector front coast lake plain plateau basin mountains hills volcano bridge "
    "dam canal gulf bay island islands peninsula jurisdiction canton".split()
)
#: Lower-case nouns after a name at a sentence's start that make it the place whose people
#: they are ("Kent police said", "Florence officials said"): the name needs no capital letter
#: of its own to count.
LOCAL_NOUNS = frozenset(
    "police officials residents authorities firefighters deputies troopers voters council "
    "councillors councilors mayor sheriff schools hospitals".split()
)
#: "the town of Sake": a place noun right before the name.
PLACE_NOUN_BEFORE = re.compile(r"\b(?:city|town|village|hamlet|port|district) of\s+$")
#: Text before a name that asks for a city ("city of Zaporizhzhia", "capital Kyiv").
CITY_CUES = ("city of ", "town of ", "village of ", "port of ", "capital ")

_PERSON_WORDS = sorted(ROLES | KIN | (TITLES - {"st.", "saint", "general", "chief"}))
_PERSON_ALT = "|".join(re.escape(w) for w in _PERSON_WORDS)
#: Appositions that make the name before them a person: "<name>, 35,", "<name>, chairman of
#: …", "<name>, the mayor of …"; not "Lviv, the mayor said" (a source: the place stays).
APPOSITIVE = re.compile(
    r",\s+(?:\d{1,2},\s|(?:former\s+|late\s+)?(?:" + _PERSON_ALT + r")(?:\s+of\b|,)"
    r"|(?:the|a|an)\s+(?:[a-z-]+\s+)?(?:" + _PERSON_ALT + r")\s+of\b)"
)
#: Weaker, for names of small places only: "<name>, who …", "<name>, a journalist".
APPOSITIVE_WEAK = re.compile(r",\s+(?:who\b|an?\s+(?:[a-z-]+\s+)?(?:" + _PERSON_ALT + r")\b)")
#: "the widow of <name>", "alias <name>" (matched on lower-cased text before the name).
PERSON_BEFORE = re.compile(r"(?:\b(?:" + "|".join(sorted(KIN)) + r")\s+of\s+|\balias\s+|\baka\s+)$")
