"""Words the certificate generator builds a believable Silesian registry from.

Polish on purpose, diacritics included: the registry's search must cope with what real
organisations are called ("Żółć", "Źdźbło", "Dąbrowa Górnicza"). Not a command (leading
underscore): Django's command finder skips it.
"""

import csv
import functools
import random
from decimal import Decimal
from pathlib import Path

from stdnum.pl.regon import calc_check_digit as regon_check_digit

from certification.choices import (
    LEGAL_FORMS_WITHOUT_KRS,
    ItemKind,
    LegalForm,
    LocationSource,
    Powiat,
)

# Generated organisations' NIPs start with this tax-office code, which no office issues: it keeps
# generated rows apart from real ones, so `--reset` deletes exactly what the generator made.
GENERATED_NIP_PREFIX = "999"

# (town, the same after "w", postal code prefix)
TOWNS = [
    ("Katowice", "Katowicach", "40"),
    ("Gliwice", "Gliwicach", "44"),
    ("Zabrze", "Zabrzu", "41"),
    ("Bytom", "Bytomiu", "41"),
    ("Sosnowiec", "Sosnowcu", "41"),
    ("Chorzów", "Chorzowie", "41"),
    ("Ruda Śląska", "Rudzie Śląskiej", "41"),
    ("Tychy", "Tychach", "43"),
    ("Rybnik", "Rybniku", "44"),
    ("Częstochowa", "Częstochowie", "42"),
    ("Bielsko-Biała", "Bielsku-Białej", "43"),
    ("Dąbrowa Górnicza", "Dąbrowie Górniczej", "41"),
    ("Jaworzno", "Jaworznie", "43"),
    ("Mysłowice", "Mysłowicach", "41"),
    ("Siemianowice Śląskie", "Siemianowicach Śląskich", "41"),
    ("Świętochłowice", "Świętochłowicach", "41"),
    ("Żory", "Żorach", "44"),
    ("Piekary Śląskie", "Piekarach Śląskich", "41"),
    ("Racibórz", "Raciborzu", "47"),
    ("Tarnowskie Góry", "Tarnowskich Górach", "42"),
    ("Będzin", "Będzinie", "42"),
    ("Cieszyn", "Cieszynie", "43"),
    ("Żywiec", "Żywcu", "34"),
    ("Wodzisław Śląski", "Wodzisławiu Śląskim", "44"),
    ("Jastrzębie-Zdrój", "Jastrzębiu-Zdroju", "44"),
    ("Mikołów", "Mikołowie", "43"),
    ("Pszczyna", "Pszczynie", "43"),
    ("Lubliniec", "Lublińcu", "42"),
    ("Zawiercie", "Zawierciu", "42"),
    ("Knurów", "Knurowie", "44"),
    ("Łaziska Górne", "Łaziskach Górnych", "43"),
    ("Czechowice-Dziedzice", "Czechowicach-Dziedzicach", "43"),
    ("Kłobuck", "Kłobucku", "42"),
    ("Ustroń", "Ustroniu", "43"),
]

# The powiat of each town: a city with powiat rights is its own; a smaller town lies in one.
TOWN_POWIATS = {
    "Katowice": Powiat.KATOWICE,
    "Gliwice": Powiat.GLIWICE,
    "Zabrze": Powiat.ZABRZE,
    "Bytom": Powiat.BYTOM,
    "Sosnowiec": Powiat.SOSNOWIEC,
    "Chorzów": Powiat.CHORZOW,
    "Ruda Śląska": Powiat.RUDA_SLASKA,
    "Tychy": Powiat.TYCHY,
    "Rybnik": Powiat.RYBNIK,
    "Częstochowa": Powiat.CZESTOCHOWA,
    "Bielsko-Biała": Powiat.BIELSKO_BIALA,
    "Dąbrowa Górnicza": Powiat.DABROWA_GORNICZA,
    "Jaworzno": Powiat.JAWORZNO,
    "Mysłowice": Powiat.MYSLOWICE,
    "Siemianowice Śląskie": Powiat.SIEMIANOWICE_SLASKIE,
    "Świętochłowice": Powiat.SWIETOCHLOWICE,
    "Żory": Powiat.ZORY,
    "Piekary Śląskie": Powiat.PIEKARY_SLASKIE,
    "Racibórz": Powiat.RACIBORSKI,
    "Tarnowskie Góry": Powiat.TARNOGORSKI,
    "Będzin": Powiat.BEDZINSKI,
    "Cieszyn": Powiat.CIESZYNSKI,
    "Żywiec": Powiat.ZYWIECKI,
    "Wodzisław Śląski": Powiat.WODZISLAWSKI,
    "Jastrzębie-Zdrój": Powiat.JASTRZEBIE_ZDROJ,
    "Mikołów": Powiat.MIKOLOWSKI,
    "Pszczyna": Powiat.PSZCZYNSKI,
    "Lubliniec": Powiat.LUBLINIECKI,
    "Zawiercie": Powiat.ZAWIERCIANSKI,
    "Knurów": Powiat.GLIWICKI,
    "Łaziska Górne": Powiat.MIKOLOWSKI,
    "Czechowice-Dziedzice": Powiat.BIELSKI,
    "Kłobuck": Powiat.KLOBUCKI,
    "Ustroń": Powiat.CIESZYNSKI,
}
# The gazetteer's spelling where it differs from the towns' names above.
GAZETTEER_NAMES = {"Bielsko-Biała": "Bielsko-Biala", "Jastrzębie-Zdrój": "Jastrzębie Zdrój"}
GAZETTEER = Path(__file__).resolve().parents[2] / "data" / "geo" / "localities.csv"
# How far (in degrees, each way) an organisation may lie from its town's point: a few km.
JITTER = 0.03


@functools.cache
def town_points() -> dict[str, tuple[float, float]]:
    """Each town's point (latitude, longitude) from the shipped gazetteer (Silesian rows)."""
    wanted = {GAZETTEER_NAMES.get(town, town): town for town, _locative, _postal in TOWNS}
    points = {}
    with GAZETTEER.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            town = wanted.get(row["name"])
            if town and row["powiat"].startswith("24"):
                points[town] = (float(row["latitude"]), float(row["longitude"]))
    return points


def location(town: str, serial: int) -> dict:
    """The town's point moved a little, by the serial: spread on a map, the same every run."""
    latitude, longitude = town_points()[town]
    north = ((serial * 7919) % 1000 / 999 - 0.5) * 2 * JITTER
    east = ((serial * 104_729) % 1000 / 999 - 0.5) * 2 * JITTER
    return {
        "latitude": Decimal(f"{latitude + north:.5f}"),
        "longitude": Decimal(f"{longitude + east:.5f}"),
        "location_source": LocationSource.LOCALITY,
    }


# One organisation in this many has no powiat, as those registered before it was asked.
WITHOUT_POWIAT_EVERY = 25

STREETS = [
    "Wojewódzka", "Mickiewicza", "Kościuszki", "Słowackiego", "Żeromskiego", "Powstańców Śląskich",
    "Świętej Barbary", "Górnicza", "Hutnicza", "Łąkowa", "Źródlana", "Ogrodowa", "3 Maja",
    "Wolności", "Dworcowa", "Szkolna", "Kopernika", "Chopina", "Żwirki i Wigury", "Różana",
]  # fmt: skip

ADJECTIVES = [
    "Złota", "Zielona", "Śląska", "Dobra", "Wspólna", "Słoneczna", "Pomocna", "Żółta", "Jasna",
    "Nowa", "Ciepła", "Tęczowa", "Srebrna", "Leśna", "Górska", "Pszczela", "Wesoła", "Czysta",
    "Źródlana", "Łagodna",
]  # fmt: skip
NOUNS = [
    "Dłoń", "Przystań", "Łąka", "Pszczoła", "Kuźnia", "Pracownia", "Spiżarnia", "Szansa", "Droga",
    "Ścieżka", "Róża", "Jabłoń", "Wierzba", "Gwiazda", "Kraina", "Nadzieja", "Łyżka", "Chata",
    "Stodoła", "Zagroda",
]  # fmt: skip
SINGLE_WORDS = [
    "Żółć", "Ład", "Razem", "Feniks", "Horyzont", "Kompas", "Korzenie", "Wrzos", "Źdźbło",
    "Mozaika", "Bażant", "Ćma", "Kąkol", "Mniszek",
]  # fmt: skip
CAUSES = [
    "Osób Niepełnosprawnych", "Rozwoju Lokalnego", "Osób w Kryzysie Bezdomności",
    "Integracji Społecznej", "Seniorów", "Rodzin Zastępczych", "Osób z Autyzmem",
    "Aktywizacji Zawodowej Młodzieży", "Przeciwdziałania Wykluczeniu Społecznemu",
]  # fmt: skip
SAINTS = ["Jadwigi Śląskiej", "Józefa", "Barbary", "Floriana", "Wojciecha", "Antoniego"]

# Roughly the make-up of the Silesian PES register: mostly cooperatives and NGOs.
LEGAL_FORM_WEIGHTS = {
    LegalForm.SOCIAL_COOPERATIVE: 30,
    LegalForm.CIS: 6,
    LegalForm.KIS: 3,
    LegalForm.ZAZ: 5,
    LegalForm.WTZ: 5,
    LegalForm.DISABLED_COOPERATIVE: 3,
    LegalForm.NONPROFIT_COMPANY: 7,
    LegalForm.FOUNDATION: 15,
    LegalForm.ASSOCIATION: 18,
    LegalForm.OTHER_NGO: 4,
    LegalForm.CHURCH_ENTITY: 2,
    LegalForm.OTHER_COOPERATIVE: 2,
}

PRODUCTS = [
    "Pierogi ręcznie lepione", "Chleb na zakwasie", "Konfitury z owoców beskidzkich sadów",
    "Miód wielokwiatowy", "Świece sojowe", "Ceramika użytkowa", "Torby z filcu",
    "Mydło naturalne", "Wyroby stolarskie z drewna bukowego", "Kołocz śląski",
    "Żurek śląski w słoiku", "Odzież robocza szyta na miarę", "Zabawki drewniane",
    "Kosze wiklinowe", "Kartki okolicznościowe", "Przyprawy ziołowe", "Makaron jajeczny",
    "Kiszona kapusta i ogórki", "Karmniki i budki lęgowe dla ptaków",
    "Gadżety reklamowe z recyklingu", "Pościel lniana",
]  # fmt: skip
SERVICES = [
    "Catering na spotkania i konferencje", "Catering dietetyczny dla szkół",
    "Sprzątanie biur i klatek schodowych", "Pielęgnacja terenów zielonych",
    "Drobne usługi remontowo-budowlane", "Pranie i maglowanie", "Usługi opiekuńcze dla seniorów",
    "Usługi poligraficzne i introligatorskie", "Prowadzenie kawiarni i stołówek",
    "Organizacja przyjęć okolicznościowych", "Przewóz osób z niepełnosprawnościami",
    "Odśnieżanie i zimowe utrzymanie chodników", "Naprawa rowerów",
    "Szkolenia z pierwszej pomocy", "Noclegi w domu gościnnym",
    "Archiwizacja i niszczenie dokumentów", "Wypożyczalnia sprzętu rehabilitacyjnego",
]  # fmt: skip

# The CPV codes an officer would confirm for these items (by the item's name before its brand).
ITEM_CPV = {
    "Konfitury z owoców beskidzkich sadów": ["15332290-3"],
    "Chleb na zakwasie": ["15811100-7"],
    "Pościel lniana": ["39520000-3"],
    "Catering na spotkania i konferencje": ["55520000-1"],
    "Catering dietetyczny dla szkół": ["55520000-1", "55300000-3"],
    "Sprzątanie biur i klatek schodowych": ["90910000-9"],
    "Pielęgnacja terenów zielonych": ["77310000-6"],
    "Pranie i maglowanie": ["98310000-9"],
    "Usługi opiekuńcze dla seniorów": ["85312000-9"],
    "Usługi poligraficzne i introligatorskie": ["79810000-5"],
    "Prowadzenie kawiarni i stołówek": ["55300000-3"],
    "Przewóz osób z niepełnosprawnościami": ["60130000-8"],
    "Odśnieżanie i zimowe utrzymanie chodników": ["90620000-9"],
    "Szkolenia z pierwszej pomocy": ["80562000-1"],
    "Noclegi w domu gościnnym": ["55200000-2"],
}


def item_codes(name: str) -> list[str]:
    """The item's CPV codes (55520000-1, …), in code order."""
    return sorted(ITEM_CPV.get(name.split(" „")[0], []))


SOCIAL_GOALS = [
    "Zatrudniamy osoby wychodzące z bezdomności i uczymy je zawodu.",
    "Dajemy pracę osobom z niepełnosprawnościami w przyjaznym miejscu.",
    "Przywracamy na rynek pracy osoby długotrwale bezrobotne z naszej gminy.",
    "Wspieramy młodzież opuszczającą pieczę zastępczą w pierwszej pracy.",
    "Zatrudniamy osoby po kryzysie psychicznym i towarzyszymy im w powrocie do pracy.",
]

SUSPENSION_REASONS = [
    "Brak aktualnych rekomendacji dla certyfikowanej usługi.",
    "Skarga zamawiającego na jakość wykonania usługi – trwa wyjaśnianie.",
    "Nieprzedłożenie sprawozdania finansowego za ostatni rok obrotowy.",
    "Zmiana formy prawnej podmiotu – wymagana aktualizacja danych.",
]
REVOCATION_REASONS = [
    "Podmiot zaprzestał działalności.",
    "Utrata statusu podmiotu ekonomii społecznej.",
    "Nieusunięcie uchybień w okresie naprawczym.",
    "Rażące naruszenie zasad używania znaku „Zakup Prospołeczny”.",
    "Rezygnacja podmiotu z certyfikatu.",
]
REINSTATEMENT_NOTE = "Uchybienia usunięte w okresie naprawczym."


def nip_with_check_digit(first_nine: str) -> str | None:
    """The NIP these nine digits begin, or None when no check digit exists for them."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    check = sum(w * int(d) for w, d in zip(weights, first_nine, strict=True)) % 11
    return None if check == 10 else first_nine + str(check)


def generated_nips(start: int = 0):
    """Valid NIPs under GENERATED_NIP_PREFIX, in order, skipping bases without a check digit."""
    serial = start
    while True:
        nip = nip_with_check_digit(f"{GENERATED_NIP_PREFIX}{serial:06d}")
        if nip is not None:
            yield nip
        serial += 1


def regon(rng: random.Random) -> str:
    first_eight = f"{rng.randrange(10_000_000, 100_000_000)}"
    return first_eight + regon_check_digit(first_eight)


def brand(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(SINGLE_WORDS)
    return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"


def organization_name(legal_form: str, locative: str, rng: random.Random) -> str:
    b = brand(rng)
    if legal_form in (LegalForm.FOUNDATION, LegalForm.ASSOCIATION) and rng.random() < 0.3:
        kind = "Fundacja" if legal_form == LegalForm.FOUNDATION else "Stowarzyszenie"
        return f"{kind} na rzecz {rng.choice(CAUSES)} „{b}”"
    return {
        LegalForm.SOCIAL_COOPERATIVE: f"Spółdzielnia Socjalna „{b}”",
        LegalForm.CIS: f"Centrum Integracji Społecznej „{b}” w {locative}",
        LegalForm.KIS: f"Klub Integracji Społecznej „{b}” w {locative}",
        LegalForm.ZAZ: f"Zakład Aktywności Zawodowej „{b}” w {locative}",
        LegalForm.WTZ: f"Warsztat Terapii Zajęciowej „{b}” w {locative}",
        LegalForm.DISABLED_COOPERATIVE: f"Spółdzielnia Inwalidów „{b}”",
        LegalForm.NONPROFIT_COMPANY: f"„{b}” sp. z o.o. non-profit",
        LegalForm.FOUNDATION: f"Fundacja „{b}”",
        LegalForm.ASSOCIATION: f"Stowarzyszenie „{b}”",
        LegalForm.OTHER_NGO: f"Koło Gospodyń Wiejskich „{b}”",
        LegalForm.CHURCH_ENTITY: f"Caritas Parafii św. {rng.choice(SAINTS)} w {locative}",
        LegalForm.OTHER_COOPERATIVE: f"Spółdzielnia Pracy „{b}”",
    }[legal_form]


def organization_fields(serial: int, nip: str, rng: random.Random) -> dict:
    """Everything an Organization row needs except the registration date."""
    legal_form = rng.choices(list(LEGAL_FORM_WEIGHTS), weights=LEGAL_FORM_WEIGHTS.values())[0]
    town, locative, postal_prefix = rng.choice(TOWNS)
    without_krs = legal_form in LEGAL_FORMS_WITHOUT_KRS and rng.random() < 0.7
    return {
        "name": organization_name(legal_form, locative, rng),
        "legal_form": legal_form,
        "nip": nip,
        "regon": regon(rng),
        "krs": "" if without_krs else f"{rng.randrange(10_000, 1_100_000):010d}",
        "street": f"ul. {rng.choice(STREETS)} {rng.randint(1, 120)}",
        "postal_code": f"{postal_prefix}-{rng.randrange(1000):03d}",
        "town": town,
        # By the serial, not the random generator: the same --seed gives the same registry
        # as before the powiat was added.
        "powiat": "" if serial % WITHOUT_POWIAT_EVERY == 0 else TOWN_POWIATS[town],
        "email": f"biuro@pes{serial}.example.pl",
        "phone": f"+48 32 {rng.randrange(100, 1000)} {rng.randrange(10, 100)} "
        f"{rng.randrange(10, 100)}",
        "website": f"https://pes{serial}.example.pl" if rng.random() < 0.6 else "",
        **location(town, serial),
    }


def item_fields(rng: random.Random) -> dict:
    kind = ItemKind.PRODUCT if rng.random() < 0.45 else ItemKind.SERVICE
    name = rng.choice(PRODUCTS if kind == ItemKind.PRODUCT else SERVICES)
    if rng.random() < 0.4:
        name = f"{name} „{brand(rng)}”"
    description = (
        f"{name}. Wykonują je osoby zatrudnione w ramach reintegracji społecznej i zawodowej, "
        "pod okiem doświadczonych instruktorów."
    )
    return {"name": name, "kind": kind, "description": description}
