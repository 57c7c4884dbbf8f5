"""Word lists, sentence templates and filler text of the synthetic corpus generator
(``bench/synth.py``). Everything here is invented for Dateline's benchmarks."""

from __future__ import annotations

import re

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January February March April May June July August September October November December"
).split()
MONTHS_AP = "Jan Feb March April May June July Aug Sept Oct Nov Dec".split()
NUM_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()

OBJECTS = [
    "a residential building",
    "an apartment block",
    "a crowded market",
    "a school",
    "a hospital",
    "a power plant",
    "a railway station",
    "a fuel depot",
    "a police station",
    "a military checkpoint",
    "a grain warehouse",
    "a shopping centre",
    "a bus station",
    "a mosque",
    "a church",
    "a village clinic",
    "an industrial site",
    "a water treatment plant",
    "a hotel",
    "an electricity substation",
]
VICTIMS = ["civilians", "villagers", "farmers", "worshippers", "passengers", "residents"]
GRIEVANCES = [
    "rising fuel prices",
    "the cost of living",
    "a new tax law",
    "alleged election fraud",
    "power cuts",
    "police brutality",
    "the arrest of an opposition leader",
    "corruption",
    "unpaid salaries",
    "a proposed constitutional change",
    "water shortages",
    "the government's handling of the economy",
]
CRIMES = [
    "drug trafficking",
    "smuggling weapons",
    "plotting attacks",
    "membership of a banned group",
    "inciting unrest",
    "kidnapping for ransom",
    "spying",
    "money laundering",
]
ORGS = [
    "United Nations",
    "International Committee of the Red Cross",
    "World Food Programme",
    "UN refugee agency",
    "World Health Organization",
    "International Organization for Migration",
    "UN children's agency UNICEF",
    "Norwegian Refugee Council",
]
RIGHTS = ["Human Rights Watch", "Amnesty International", "local rights groups", "the UN"]
RIGHTS_ONE = ["Human Rights Watch", "Amnesty International", "a local rights group"]
# country names that take "the" in running text
THE = re.compile(r"Republic|United|Islands|^(?:Philippines|Netherlands|Bahamas|Gambia|Maldives)$")
MEDIATORS = ["Qatar", "Turkey", "Egypt", "Saudi Arabia", "Norway", "Switzerland", "Kenya"]
AGENCIES = ["Reuters", "Reuters", "Reuters", "AP", "AFP"]
PLATFORMS = ["on Telegram", "on X", "on Facebook", "in a video statement", "in a statement"]
COMMODITIES = ["wheat", "coffee", "cotton", "oil", "gold", "cocoa", "maize", "cattle"]
JOBS = ["teacher", "shopkeeper", "driver", "nurse", "farmer", "student", "pensioner", "trader"]
SOURCES = [
    "the regional governor said",
    "local officials said",
    "police said",
    "the emergency services said",
    "a hospital official said",
    "witnesses said",
    "residents said",
    "the military said",
    "the health ministry said",
]

# --------------------------------------------------------------------------------------------
# incident templates: slots are filled by _incident(); {When} is a sentence-initial date
# --------------------------------------------------------------------------------------------

TEMPLATES: dict[str, list[str]] = {
    "clash": [
        "{A1} clashed with {a2} {at}{when}{cas}.",
        "Heavy fighting broke out between {a1} and {a2} {at}{when}{cas}.",
        "{When} {a1} repelled an assault on their positions {at}{cas}, {source}.",
        "Fierce battles raged{when} around {P}, where {a1} have been trying to push back {a2}.",
        "{A2} ambushed a patrol of {a1} {at}{when}{cas}.",
        "{A1} and {a2} exchanged fire {at}{when}{cas}, {source}.",
        "{When} gunfights between {a1} and {a2} erupted {at}{cas}.",
        "A convoy of {a1} came under fire {at}{when}{cas}.",
    ],
    "regain": [
        "{A1} said{when} they had recaptured {P} after weeks of fighting.",
        "{A1} retook {P}{when}, the defence ministry said.",
        "{When} {a1} regained control of {P} from {a2}.",
        "The army said it had liberated {P}{when} and was clearing the surrounding villages.",
    ],
    "seize": [
        "{A2} seized the town of {P}{when}, {source}.",
        "{A2} captured a village near {P}{when} after a night of heavy fighting.",
        "{When} {a2} took control of the district around {P}{cas}.",
    ],
    "air": [
        "An air strike hit {obj} {at}{when}{cas}.",
        "{Dem} drones struck {obj} {at}{when}{cas}.",
        "Warplanes bombed {obj} {at}{when}{cas}.",
        "A drone attack on {P}{when} damaged {obj}{cas}.",
        "{A1} carried out air strikes on positions held by {a2} {at}{when}.",
        "{When} a glide bomb hit {obj} {at}{cas}.",
        "Airstrikes pounded {P}{when}{cas}, {source}.",
    ],
    "shell": [
        "{Dem} shelling hit {obj} {at}{when}{cas}.",
        "Artillery fire pounded {P}{when}{cas}.",
        "A missile struck {obj} {at}{when}{cas}.",
        "Rockets slammed into {obj} {at}{when}{cas}.",
        "{A1} shelled {P}{when}{cas}, {source}.",
        "{When} a ballistic missile attack on {P} damaged {obj}{cas}.",
        "Mortar rounds landed near {obj} {at}{when}{cas}.",
    ],
    "ied": [
        "A roadside bomb exploded near a military convoy {at}{when}{cas}.",
        "A car bomb went off outside {obj} {at}{when}{cas}.",
        "An improvised explosive device detonated {at}{when}{cas}, {source}.",
        "A landmine exploded under a vehicle carrying {victims} {at}{when}{cas}.",
    ],
    "suicide": [
        "A suicide bomber blew himself up at a checkpoint {at}{when}{cas}.",
        "{When} a suicide car bomb struck {obj} {at}{cas}.",
    ],
    "grenade": [
        "Attackers threw a grenade into {obj} {at}{when}{cas}.",
        "A grenade attack on a bar {at}{when} wounded {m} people.",
    ],
    "attack": [
        "Gunmen shot dead {n} {victims} {at}{when}, {source}.",
        "Armed men opened fire on villagers {at}{when}{cas}.",
        "{A2} killed {n} {victims} in a raid on {P}{when}.",
        "{N} {victims} were gunned down {at}{when}, {source}.",
        "{When} {a2} massacred {n} people {at}, according to survivors.",
    ],
    "abduct": [
        "Gunmen kidnapped {n} students from a school {at}{when}.",
        "{N} aid workers were abducted {at}{when}, the {org} said.",
        "{A2} abducted {n} passengers from a bus {at}{when}.",
        "{When} armed men kidnapped a local official {at}, {source}.",
    ],
    "protest": [
        "Thousands of people protested {at}{when} against {grievance}.",
        "Hundreds of demonstrators marched through the centre of {P}{when}, chanting slogans"
        " against {grievance}.",
        "{When} protesters gathered outside the governor's office {at} to denounce {grievance}.",
        "Supporters of the opposition rallied {at}{when}.",
        "Workers went on strike {at}{when} over {grievance}.",
    ],
    "protest_int": [
        "Police fired tear gas to disperse protesters {at}{when}.",
        "Riot police used water cannon against demonstrators {at}{when}.",
        "{N} protesters were arrested {at}{when} during a demonstration against {grievance}.",
        "{When} police broke up a protest {at} with batons and rubber bullets{cas}.",
    ],
    "protest_force": [
        "Security forces opened fire on protesters {at}{when}, killing {n}.",
        "{N} demonstrators were shot dead {at}{when}, {rights} said.",
    ],
    "riot": [
        "Rioters torched cars and looted shops {at}{when}.",
        "Youths hurled stones at police {at}{when}{cas}.",
        "Violent protests erupted {at}{when} over {grievance}{cas}.",
        "{When} rioters set fire to a police station {at}.",
    ],
    "mob": [
        "A mob lynched a man accused of theft {at}{when}, {source}.",
        "{When} a mob attacked a police station {at}, freeing several detainees.",
    ],
    "arrest": [
        "Police arrested {n} people {at}{when} on suspicion of {crime}.",
        "{Dem} security services detained {n} people {at}{when} on charges of {crime}.",
        "{N} men were taken into custody {at}{when} after a raid on {obj}.",
        "{When} authorities rounded up {n} opposition activists {at}.",
    ],
    "agree": [
        "{A1} and {a2} agreed to a ceasefire {at}{when}.",
        "Community leaders signed a peace agreement {at}{when} to end a dispute over grazing land.",
        "The two sides carried out a prisoner exchange {at}{when}, {source}.",
    ],
    "withdraw": [
        "{A1} withdrew from {P}{when}, handing over their positions to local police.",
        "{When} {a2} pulled out of {P} under a deal brokered by elders.",
    ],
    "deploy": [
        "{A1} deployed additional troops to {P}{when}.",
        "{When} the government sent 500 soldiers to {P} to restore order.",
    ],
    "intercept": [
        "Air defences shot down {n} drones over {P}{when}, {source}.",
        "Sappers defused a bomb found near {obj} {at}{when}.",
        "Police found a weapons cache {at}{when}.",
    ],
    "loot": [
        "Armed men ransacked {obj} {at}{when}.",
        "{When} looters plundered warehouses {at} as order broke down.",
    ],
}
TITLES: dict[str, list[str]] = {
    "strike": [
        "{Killed} killed in {strike_noun} on {City}, officials say",
        "{Strike_noun} hits {City} as {country} conflict grinds on",
        "{City} counts damage after overnight {strike_noun}",
    ],
    "clash": [
        "Fighting rages near {City} as {a1} and {a2} trade blame",
        "{Country}: heavy clashes reported around {City}",
    ],
    "terror": [
        "{Killed} killed as bomb explodes in {City}",
        "Bomb attack rocks {City}, {country}",
    ],
    "civilians": [
        "Gunmen attack {City} area in {country}, {killed} dead",
        "Violence against civilians rises around {City}",
    ],
    "protest": [
        "Thousands protest in {City} over {grievance}",
        "Police and protesters face off in {City}",
        "{Country}: anger over {grievance} spills onto the streets of {City}",
    ],
    "arrest": [
        "{Country} police detain suspects in {City}",
        "Dozens held after security sweep in {City}",
    ],
    "deal": [
        "Truce takes hold around {City} as {country} talks resume",
        "{Country}: rival forces reach local deal over {City}",
    ],
    "other": [
        "{Country} tensions rise after week of unrest around {City}",
        "Uneasy calm in {City} as {country} talks stall",
    ],
}
TITLE_CLASS = {
    "air": "strike",
    "shell": "strike",
    "clash": "clash",
    "regain": "clash",
    "seize": "clash",
    "ied": "terror",
    "suicide": "terror",
    "grenade": "terror",
    "attack": "civilians",
    "abduct": "civilians",
    "protest": "protest",
    "protest_int": "protest",
    "protest_force": "protest",
    "riot": "protest",
    "mob": "protest",
    "arrest": "arrest",
    "agree": "deal",
    "withdraw": "deal",
}
THEME_WEIGHTS: dict[str, dict[str, float]] = {
    "war": {
        "clash": 22, "regain": 5, "seize": 5, "air": 16, "shell": 18, "ied": 5, "suicide": 1,
        "grenade": 1, "attack": 6, "abduct": 3, "arrest": 4, "agree": 3, "withdraw": 2,
        "deploy": 2, "intercept": 4, "protest": 2, "loot": 1,
    },
    "insurgency": {
        "clash": 18, "regain": 4, "seize": 5, "air": 6, "shell": 4, "ied": 12, "suicide": 4,
        "grenade": 3, "attack": 15, "abduct": 11, "arrest": 8, "agree": 3, "withdraw": 1,
        "deploy": 2, "intercept": 2, "protest": 3, "mob": 2, "loot": 2,
    },
    "crime": {
        "attack": 22, "abduct": 14, "arrest": 20, "grenade": 4, "riot": 6, "protest": 12,
        "protest_int": 6, "mob": 4, "clash": 6, "ied": 2, "deploy": 2, "loot": 2,
    },
    "unrest": {
        "protest": 30, "protest_int": 18, "protest_force": 4, "riot": 12, "mob": 3,
        "arrest": 16, "attack": 5, "agree": 2, "loot": 3, "deploy": 3, "ied": 2, "clash": 2,
    },
}  # fmt: skip

# --------------------------------------------------------------------------------------------
# filler: background, quotes, politics; no events, or hedged/future ones
# --------------------------------------------------------------------------------------------

FILLER: list[str] = [
    'c:"We are doing everything we can to protect people," {official} told reporters in {capital}.',
    '"The situation remains very difficult, but it is under control," {official} said {platform}.',
    '"People are tired and afraid, but they are not leaving," said {person}, a {age}-year-old'
    " {job} from {city}.",
    '"We have not received any help from the government," {person}, a local {job}, said.',
    '"Nobody knows what tomorrow will bring," said {person}, who runs a small shop in {city2}.',
    '"Our children have not been to school for months," {person}, a parent of {small}, said.',
    '"This is a very dangerous moment for the whole country," {person}, an analyst based in'
    " {capital}, said.",
    "{Official} said in a televised address that the government would not bow to pressure.",
    "{Official} said the authorities were still assessing the damage.",
    "Officials in {capital} did not respond to a request for comment.",
    "c:The {dem} government has repeatedly denied targeting civilians.",
    "{Agency} could not independently verify the reports.",
    "The claims could not be independently verified.",
    "c:There was no immediate comment from {a2}.",
    "c:The {org} said it was increasingly concerned about the humanitarian situation in {country}.",
    "c:More than {big} people have been displaced in the {admin1} {rw} alone, according to the"
    " {org}.",
    "c:The {org} estimates that {pct} percent of the population needs humanitarian assistance.",
    "c:Aid agencies have warned that food shortages could worsen in the coming months.",
    "c:The {org2} called on all parties to respect international humanitarian law.",
    "{Rights} has documented hundreds of cases of arbitrary detention in recent years.",
    "Prices of bread and fuel have risen sharply this year, adding to public frustration.",
    "The national currency has lost more than a third of its value against the dollar since"
    " {month}.",
    "The central bank kept interest rates unchanged at its last meeting.",
    "The finance ministry said on {weekday} that economic growth had slowed to {pct_small}"
    " percent.",
    "Parliament is expected to vote on the budget next month.",
    "{Country_s} president has promised to restore order and rebuild damaged infrastructure.",
    "Opposition leaders accused the government of failing to protect ordinary people.",
    "Analysts said the government's position had weakened over the past year.",
    "c:Talks between the government and {a2}, mediated by {mediator}, stalled in {month}.",
    "Diplomats said a new round of negotiations might take place later this month.",
    "{Country} will hold elections in {future_year}, and the campaign has already begun.",
    "The government has declared a state of emergency in parts of the {admin1} {rw}.",
    "A curfew remained in place in {city} from 10 p.m. to 5 a.m.",
    "Journalists' access to the area has been restricted since {month}.",
    "c:Officials warned that attacks could intensify ahead of the winter.",
    "c:Many residents have fled to {city2} or to relatives in other parts of {country}.",
    "The {admin1} {rw} is home to about {pop_m} million people and is a major producer of"
    " {commodity}.",
    "Residents of {city2} described long queues at petrol stations and shortages of medicine.",
    "c:A local official, who asked not to be named, said the hospital in {city} was struggling"
    " to cope.",
    "c:The mayor of {city2} said emergency crews were working through the night to clear debris.",
    "Traffic on the main highway linking {city} and {city2} was suspended for several hours.",
    "Electricity and water supplies were restored to most homes by the evening.",
    "c:Schools in the area have been closed for weeks, and many families have sent their children"
    " to stay with relatives.",
    "Local media published images showing damaged buildings and burned-out cars.",
    "Officials in {other} said they were following the situation closely.",
    "The foreign ministry of {other} urged its citizens to avoid travel to {country}.",
    "The {dem} government says it is open to dialogue but has set several conditions.",
    "Shops in the centre of {city} reopened on {weekday} after several days of closure.",
    "The interior ministry said additional checkpoints had been set up on roads leading into"
    " {city}.",
    "The authorities have blamed foreign interference for the unrest, without giving evidence.",
    "c:Human rights groups have urged the government to investigate the deaths.",
    "The World Bank expects the economy of {country} to grow by {pct_small} percent next year.",
    "Exports of {commodity} have fallen by almost a quarter since the start of the year.",
    "Teachers and doctors in the {admin1} {rw} say they have not been paid for months.",
    "c:The government has yet to publish official casualty figures.",
    "c:A spokesperson for the {org} said aid convoys had been unable to reach {city2} for two"
    " weeks.",
    "Mobile phone and internet connections were cut in several districts, residents said.",
    "{Person}, a lawmaker from the {admin1} {rw}, called for an independent inquiry.",
    "The prime minister is due to visit {city2} later this week, his office said.",
    "c:Satellite images reviewed by analysts showed large areas of farmland left unplanted.",
    "Long lines formed outside banks in {capital} as people tried to withdraw cash.",
    "The cabinet approved an emergency spending package worth {money} million dollars.",
    "c:Many of the displaced are living in schools and makeshift camps on the edge of {city2}.",
    "{Country_s} neighbours have appealed for calm and offered to host talks.",
    "A court in {capital} postponed the trial of several opposition figures until {month}.",
    "c:Local elders said they had tried to mediate but that both sides had refused to meet.",
    "The {dem} football federation postponed league matches for a second week.",
    "Prices for basic goods in {city} have doubled since {month}, traders said.",
    "c:The authorities have promised compensation to families whose homes were damaged.",
    "Fuel shortages have forced many bakeries in {city2} to close early.",
    "{Official} said the government was committed to a political solution.",
    "u:Organisers said they would hold more rallies until their demands were met.",
    "u:The opposition has called for a general strike next week.",
    "u:The government blamed the unrest on criminals and foreign agents.",
    "u:Videos shared on social media showed crowds chanting and waving national flags.",
    "u:Student unions said they would keep up the pressure on the government.",
    "u:{Official} said the right to peaceful assembly was guaranteed by the constitution.",
    "u:Public anger has grown since {month}, when the government announced the measures.",
    "u:The interior ministry said {small} police officers had been hurt in the unrest.",
    "c:The {org} said it needed {money} million dollars to provide food and shelter this year.",
]

OFFICIALS = [
    "the regional governor",
    "the interior minister",
    "a military spokesman",
    "a police spokesperson",
    "the mayor",
    "a government spokesman",
    "the defence minister",
    "a senior security official",
]
