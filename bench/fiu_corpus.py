"""A generated corpus of goAML reports for the FIU benchmark (bench/fiu.py), with the truth.

Reporting entities (banks, microfinance organisations, pawnshops, money transfer operators) file
STRs about their clients and the clients' counterparties. True subjects (persons with Kazakh or
Russian names, organisations) recur across reports and entities under the spellings real files
show: Kazakh or Russian Cyrillic, passport (ICAO) Latin, the 2021 Kazakh Latin alphabet, informal
romanisations, surname first or last, patronymic (Russian or Kazakh form) or none, typing slips.
Identifiers are present only part of the time and sometimes mistyped; some accounts are shared
between two people; a few planted networks trade among themselves. Each entity spells its own
clients one way (its KYC record); counterparties are spelled as each payment names them.

Written apart from finmon's resolver: the names and romanisers are bench/variants.py's, which do
not use finmon's transliteration. Same seed, same corpus.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from bench.variants import (
    INFORMAL_ROMANS,
    KZ_FEMALE,
    KZ_MALE,
    KZ_SURNAMES,
    ROMAN_ICAO,
    ROMAN_KZ_LATIN,
    RU_FEMALE,
    RU_MALE,
    RU_SURNAMES,
    Person,
    Roman,
    icao,
    kk_patronymic,
    ru_patronymic,
    surname_form,
)
from finmon.fiu.records import Identifier, Mention
from finmon.lists.identifiers import is_valid_iin_bin
from finmon.model import Gender
from finmon.reports.goaml import (
    Identification,
    Party,
    Report,
    ReportingEntity,
    ReportTransaction,
)
from finmon.reports.goaml import Person as GoamlPerson

SWIFT = ("HSBKKZKX", "CASPKZKA", "KCJBKZKX", "HCSKKZKA", "ATYNKZKA")
ENTITY_KINDS = ("bank", "mfo", "pawnshop", "mto")
ORG_WORDS = (
    "Альфа Бета Жұлдыз Астана Береке Алтын Самұрық Нұр Қазақ Транс Строй Сервис Трейд Инвест "
    "Агро Техно Логистик Капитал Медиа Энерго Дала Сарыарқа Арман Шаңырақ Көкжиек Болашақ Байтерек "
    "Ақ Жол Мерей Тұлпар Алатау Жетісу Номад Орда Ырыс Сапа Кен Мұнай Темір"
).split()
LEGAL = (
    ("ТОО", "LLP", "Товарищество с ограниченной ответственностью"),
    ("АО", "JSC", "Акционерное общество"),
)
# Surnames formed from an ancestor's given name, as many Kazakh surnames are (the long tail).
TAIL_SURNAMES = [(g + s, r + s) for g, r in KZ_MALE for s in ("ов", "баев")]


@dataclass(frozen=True, slots=True)
class Entity:
    bin: str
    kind: str
    name: str
    latin: float
    """Share of its client records in Latin letters."""
    patronymic: float
    surname_first: float
    iin_rate: float
    """Share of its organisation clients' records that carry the BIN."""


@dataclass(slots=True)
class Truth:
    id: str
    kind: str
    person: Person | None
    org: tuple[str, int] | None
    """(Cyrillic name words, legal form index)."""
    birth: dt.date | None
    number: str
    """IIN or BIN."""
    passport: str | None
    accounts: list[str]
    weight: float
    id_card: str = ""
    contacts: list[int] = field(default_factory=list)
    kyc: dict[str, tuple[str, str, str, str | None]] = field(default_factory=dict)
    """Entity BIN -> how its KYC record spells the person (name, given, surname, patronymic)."""


@dataclass(frozen=True, slots=True)
class Corpus:
    entities: list[Entity]
    reports: list[tuple[Entity, Report]]
    mentions: list[Mention]
    truth: dict[str, str]
    """Mention id -> true subject id."""


def check_digit_number(rng: random.Random, first11: str) -> str:
    """A valid 12-digit IIN/BIN from 11 digits (the serial nudged until a check digit exists)."""
    while True:
        for digit in "0123456789":
            if is_valid_iin_bin(first11 + digit):
                return first11 + digit
        first11 = first11[:7] + f"{rng.randrange(10000):04d}"


def make_iin(rng: random.Random, born: dt.date, female: bool) -> str:
    century = {1800: 1, 1900: 3, 2000: 5}[born.year // 100 * 100] + female
    return check_digit_number(rng, f"{born:%y%m%d}{century}{rng.randrange(10000):04d}")


def make_bin(rng: random.Random) -> str:
    year, month = rng.randrange(95, 125) % 100, rng.randrange(1, 13)
    return check_digit_number(rng, f"{year:02d}{month:02d}40{rng.randrange(100000):05d}")


def iban(rng: random.Random) -> str:
    bank = rng.choice(("722", "601", "998", "914", "826"))
    return f"KZ{rng.randrange(10, 99)}{bank}{rng.randrange(10**12, 10**13)}"


def make_entities(rng: random.Random, count: int) -> list[Entity]:
    out = []
    for i in range(count):
        kind = ENTITY_KINDS[i % len(ENTITY_KINDS)]
        latin = rng.choice((0.05, 0.2, 0.5, 0.8))
        out.append(
            Entity(
                make_bin(rng),
                kind,
                f"{kind.upper()} {i + 1}",
                latin,
                rng.random(),
                rng.random(),
                rng.uniform(0.4, 0.95),
            )
        )
    return out


def make_person(rng: random.Random) -> Person:
    kazakh = rng.random() < 0.7
    female = rng.random() < 0.45
    if kazakh:
        given = rng.choice(KZ_FEMALE if female else KZ_MALE)
        surname = rng.choice(KZ_SURNAMES if rng.random() < 0.6 else TAIL_SURNAMES)
        return Person(given, surname, rng.choice(KZ_MALE), female, True)
    given = rng.choice(RU_FEMALE if female else RU_MALE)
    return Person(given, rng.choice(RU_SURNAMES), rng.choice(RU_MALE), female, False)


def make_truths(rng: random.Random, subjects: int, organisations: int) -> list[Truth]:
    out: list[Truth] = []
    org_names = rng.sample([(a, b) for a in ORG_WORDS for b in ORG_WORDS if a < b], organisations)
    for i in range(subjects):
        weight = rng.lognormvariate(0, 0.8)
        accounts = [iban(rng) for _ in range(rng.choice((1, 1, 2, 3)))]
        if i < organisations:
            words = " ".join(org_names[i])
            out.append(
                Truth(
                    f"T{i:05d}",
                    "organisation",
                    None,
                    (words, rng.randrange(2)),
                    None,
                    make_bin(rng),
                    None,
                    accounts,
                    weight,
                )
            )
            continue
        person = make_person(rng)
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(55 * 365))
        passport = f"N{rng.randrange(10**7, 10**8)}" if rng.random() < 0.7 else None
        id_card = f"0{rng.randrange(10**8, 10**9)}"
        out.append(
            Truth(
                f"T{i:05d}",
                "person",
                person,
                None,
                born,
                make_iin(rng, born, person.female),
                passport,
                accounts,
                weight,
                id_card=id_card,
            )
        )
    people = [t for t in out if t.kind == "person"]
    shared = len(people) // 20
    for a, b in zip(rng.sample(people, shared), rng.sample(people, shared), strict=True):
        if a is not b:
            b.accounts.append(a.accounts[0])  # a shared account: family, a nominee, a mule
    for _ in range(6):  # planted networks trading among themselves
        members = rng.sample(range(len(out)), rng.randrange(6, 13))
        for m in members:
            out[m].contacts = [x for x in members if x != m]
            out[m].weight *= 2
    return out


def typo(rng: random.Random, text: str) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    op = rng.randrange(3)
    if op == 0:
        w = w[:j] + w[j + 1 :]
    elif op == 1:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def mistype(rng: random.Random, value: str) -> str:
    j = rng.randrange(2 if value.startswith("KZ") else 0, len(value))
    digit = str((int(value[j]) + rng.randrange(1, 10)) % 10) if value[j].isdigit() else value[j]
    return value[:j] + digit + value[j + 1 :]


def roman_for(rng: random.Random, person: Person, latin: float) -> Roman | None:
    if rng.random() >= latin:
        return None
    informal = [r for r in INFORMAL_ROMANS if person.kazakh or "DZH" not in r.label.upper()]
    return rng.choice((ROMAN_ICAO, ROMAN_ICAO, ROMAN_KZ_LATIN, *informal))


def spell_person(
    rng: random.Random, person: Person, entity: Entity | None
) -> tuple[str, str, str, str | None]:
    """(full name, given, surname, patronymic) as one record writes the person."""
    latin = entity.latin if entity else 0.4
    roman = roman_for(rng, person, latin)
    spelling = rng.randrange(2) if person.kazakh else 1
    given = person.given[spelling]
    surname = surname_form(person.surname[spelling], person.female)
    patronymic: str | None = None
    if rng.random() < (entity.patronymic if entity else 0.4):
        kazakh_form = person.kazakh and rng.random() < 0.4
        patronymic = (
            kk_patronymic(person.father[0], person.female)
            if kazakh_form
            else ru_patronymic(person.father[spelling], person.female)
        )
    if roman:
        given, surname = roman.func(given), roman.func(surname)
        patronymic = roman.func(patronymic) if patronymic else None
        if roman is ROMAN_ICAO and rng.random() < 0.6:
            given, surname, patronymic = (
                given.upper(),
                surname.upper(),
                patronymic.upper() if patronymic else None,
            )
    first = rng.random() < (entity.surname_first if entity else 0.5)
    parts = [surname, given, patronymic] if first else [given, patronymic, surname]
    return " ".join(p for p in parts if p), given, surname, patronymic


def spell_org(rng: random.Random, org: tuple[str, int]) -> str:
    words, legal = org
    short, latin, long = LEGAL[legal]
    style = rng.randrange(5)
    if style == 0:
        return f"{short} «{words}»"
    if style == 1:
        return f"{short} «{words.upper()}»"
    if style == 2:
        return f"{long} «{words}»"
    if style == 3:
        return f"{icao(words)} {latin}"
    return f"{latin} {icao(words).upper()}"


@dataclass(slots=True)
class _Writer:
    """Builds the reports and their mentions."""

    rng: random.Random
    truths: list[Truth]
    cumulative: list[float]
    reports: list[tuple[Entity, Report]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    truth: dict[str, str] = field(default_factory=dict)
    one_offs: int = 0

    def pick(self) -> Truth:
        return self.rng.choices(self.truths, cum_weights=self.cumulative)[0]

    def report(self, number: int, entity: Entity, subject: Truth) -> None:
        """One STR; an organisation is reported as a person client's counterparty (finmon's
        goAML writer reports entity clients through a signatory, which this corpus leaves out)."""
        client = subject
        while client.person is None:
            client = self.pick()
        rng = self.rng
        key = f"{entity.bin}:R{number:06d}"
        when = dt.datetime(2025, 1, 1) + dt.timedelta(minutes=rng.randrange(525600))
        parties: dict[tuple[str, str, str | None, str | None], tuple[Party, Mention]] = {}
        own = self.party(entity, client, True, key, when, parties)
        transactions = []
        for t in range(rng.choice((1, 1, 2, 3))):
            other = subject if t == 0 and subject is not client else self.counterparty(client)
            theirs = self.party(entity, other, False, key, when, parties)
            outgoing = rng.random() < 0.6
            transactions.append(
                ReportTransaction(
                    number=f"{number}-{t + 1}",
                    date=when + dt.timedelta(hours=t),
                    amount_local=Decimal(rng.randrange(100_000, 50_000_000)) / 100,
                    channel=rng.choice(("wire", "transfer", "cash", "online")),
                    from_party=own if outgoing else theirs,
                    to_party=theirs if outgoing else own,
                    description="transfer",
                )
            )
        mlro = GoamlPerson(
            first_name="Compliance",
            last_name="Officer",
            occupation="MLRO",
            email="mlro@example.kz",
            phone="+7 727 000 00 00",
        )
        reporter = ReportingEntity(
            rentity_id=1 + int(entity.bin[-6:]), branch=entity.name, person=mlro
        )
        report = Report(
            kind="str",
            entity_reference=f"R{number:06d}",
            submission_date=when + dt.timedelta(days=2),
            reporter=reporter,
            transactions=tuple(transactions),
            indicators=("SCTFS",),
            reason="Unusual transfers",
            action="Reported",
        )
        self.reports.append((entity, report))
        for truth_id, (_, mention) in ((k[0], v) for k, v in parties.items()):
            self.mentions.append(mention)
            self.truth[mention.id] = truth_id

    def counterparty(self, client: Truth) -> Truth:
        rng = self.rng
        if client.contacts and rng.random() < 0.7:
            return self.truths[rng.choice(client.contacts)]
        if rng.random() < 0.12:
            self.one_offs += 1
            person = make_person(rng)
            born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(55 * 365))
            return Truth(
                f"O{self.one_offs:05d}",
                "person",
                person,
                None,
                born,
                make_iin(rng, born, person.female),
                None,
                [iban(rng)],
                0,
            )
        while True:
            found = self.pick()
            if found is not client:
                return found

    def party(
        self,
        entity: Entity,
        truth: Truth,
        client: bool,
        key: str,
        when: dt.datetime,
        parties: dict[tuple[str, str, str | None, str | None], tuple[Party, Mention]],
    ) -> Party:
        rng = self.rng
        account = (
            rng.choice(truth.accounts)
            if (client and entity.kind == "bank") or rng.random() < 0.7
            else None
        )
        if account and rng.random() < 0.03:
            account = mistype(rng, account)
        # goAML requires a client's IIN (KYC); an organisation's BIN and counterparties' numbers
        # are there only part of the time.
        rate = 0.25 if not client else 1.0 if truth.person else entity.iin_rate
        number = truth.number if rng.random() < rate else None
        if number and rng.random() < 0.05:
            number = mistype(rng, number)
        holder, birth = None, None
        passport: tuple[str, str] | None = None
        if truth.person is not None:
            if client:
                if entity.bin not in truth.kyc:
                    spelled = spell_person(rng, truth.person, entity)
                    truth.kyc[entity.bin] = (
                        (typo(rng, spelled[0]), *spelled[1:]) if rng.random() < 0.05 else spelled
                    )
                name, given, surname, patronymic = truth.kyc[entity.bin]
            else:
                name, given, surname, patronymic = spell_person(rng, truth.person, None)
                name = typo(rng, name) if rng.random() < 0.1 else name
            if truth.birth and (client or rng.random() < 0.1):
                birth = (
                    truth.birth
                    if rng.random() > 0.03
                    else truth.birth.replace(day=rng.randrange(1, 29))
                )
            if client:
                # KYC holds a document: the passport when the person has one and showed it.
                shown = truth.passport if truth.passport and rng.random() < 0.5 else None
                document_kind = "passport" if shown else "id_card"
                passport = (document_kind, shown or truth.id_card)
                document = Identification(
                    kind=document_kind,
                    number=passport[1],
                    issue_date=dt.date(2020, 1, 1),
                    expiry_date=dt.date(2030, 1, 1),
                    issue_country="KZ",
                )
                holder = GoamlPerson(
                    first_name=given,
                    last_name=surname,
                    middle_name=patronymic,
                    birth_date=birth,
                    id_number=number,
                    nationality="KZ",
                    residence="KZ",
                    gender=Gender.FEMALE if truth.person.female else Gender.MALE,
                    identification=document,
                )
        else:
            assert truth.org is not None
            name = spell_org(rng, truth.org)
            name = typo(rng, name) if rng.random() < 0.05 else name
        kind = "person" if truth.person is not None else "entity"
        party = Party(
            name=name,
            country="KZ",
            kind=kind,
            account=account,
            bank="Bank",
            bank_code=rng.choice(SWIFT),
            id_number=number,
            is_my_client=client,
            holder=holder,
            account_opened=dt.date(2020, 1, 1) if client and account else None,
        )
        dedupe = (truth.id, name, account, number)
        if dedupe not in parties:
            identifiers = []
            if number:
                identifiers.append(
                    Identifier(kind="iin" if kind == "person" else "bin", value=number)
                )
            if passport:
                identifiers.append(Identifier(kind=passport[0], value=passport[1]))
            if account:
                identifiers.append(Identifier(kind="account", value=account))
            mention = Mention(
                id=f"{key}:{len(parties) + 1}",
                report=key,
                entity=entity.bin,
                kind="person" if kind == "person" else "organisation",
                name=name,
                birth_date=birth,
                nationality="KZ" if kind == "person" else None,
                identifiers=tuple(identifiers),
                seen=when,
            )
            parties[dedupe] = (party, mention)
        return parties[dedupe][0]


def generate(seed: int, reports: int = 10_000, subjects: int = 2_000, entities: int = 45) -> Corpus:
    """The corpus of one seed: entities, reports, their mentions and which subject each is."""
    rng = random.Random(seed)
    filers = make_entities(rng, entities)
    truths = make_truths(rng, subjects, subjects * 3 // 20)
    cumulative, total = [], 0.0
    for t in truths:
        total += t.weight
        cumulative.append(total)
    writer = _Writer(rng, truths, cumulative)
    order = truths[:] * 2  # every subject a client at least twice, then as often as its weight says
    rng.shuffle(order)
    for n in range(reports):
        client = order[n] if n < len(order) else writer.pick()
        writer.report(n + 1, rng.choice(filers), client)
    return Corpus(filers, writer.reports, writer.mentions, writer.truth)
