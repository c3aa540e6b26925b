"""Synthetic data at scale: `generate(Sizes(...), seed=1)`, for benchmarks and load tests.

Every row is fictional: people's notes start with `PERSON_MARKER`, organisations' with
`ORGANIZATION_MARKER`. The data is deterministic: the same seed, sizes and `today` give the
same rows (each step draws from its own `random.Random` seeded with the seed and the step's
name, so a step added later changes no other step's data). It stands on the reference data
(countries, units), which it loads if missing, and *adds* rows: run it on an empty database for
reproducible figures.

Rows are written with `bulk_create` in batches, in one transaction. That skips `save()`, so:
- the search columns are built here with the models' own builders (`search_columns()`);
- django-simple-history records no history rows, and the changes feed no `Change` rows
  (acceptable for synthetic data; the admin's history pages of these rows are empty).

The work is a list of steps (`STEPS`); an app higher in the dependency order (events) adds its
own with `register_step()` from its `AppConfig.ready()`, reading what earlier steps made from
the `Context` (organisations, people, staff, units, countries). A requested size without a
registered step is an error (`SyntheticError`).
"""

from __future__ import annotations

import calendar
import datetime
import time
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from random import Random
from typing import Any, TextIO

import phonenumbers
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from contacts.models import (
    ContactPoint,
    Country,
    FollowUp,
    Interaction,
    Organization,
    Participant,
    Person,
    PillarTag,
    Position,
    Tag,
    Unit,
)

PERSON_MARKER = "Nhân vật hư cấu (dữ liệu tổng hợp) / Fictional person (synthetic data)."
ORGANIZATION_MARKER = "Dữ liệu tổng hợp / synthetic data."
STAFF_PREFIX = "synthetic-staff-"
HISTORY_YEARS = 20
LOCAL_ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


class SyntheticError(ValueError):
    """The generation cannot run as asked (a size without a step, missing reference data)."""


# ---------------------------------------------------------------------------------------------
# Names: (as written, Latin transliteration, Vietnamese rendering)

VI_FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split()
VI_MIDDLE = {"male": "Văn Hữu Minh Quốc Đức Thanh".split(), "female": "Thị Ngọc Thu Kim".split()}
VI_GIVEN = {
    "male": "An Bình Dũng Hải Hiếu Hùng Khánh Long Nam Phúc Quang Sơn Tuấn Việt".split(),
    "female": "Chi Giang Hà Hạnh Hoa Lan Linh Mai Nga Phương Tâm Thảo Trang Yến".split(),
}
KHMER_FAMILY = [
    ("សុខ", "Sok", "Xốc"),
    ("ចាន់", "Chan", "Chăn"),
    ("ហេង", "Heng", "Hêng"),
    ("លី", "Ly", "Ly"),
    ("ស៊ឹម", "Sim", "Xim"),
    ("គឹម", "Kim", "Kim"),
    ("ម៉ៅ", "Mao", "Mao"),
    ("ព្រំ", "Prom", "Prôm"),
    ("សេង", "Seng", "Xeng"),
    ("នួន", "Nuon", "Nuôn"),
]
KHMER_GIVEN = [
    ("សុភា", "Sophea", "Xô-phia"),
    ("ដារ៉ា", "Dara", "Đa-ra"),
    ("វណ្ណា", "Vanna", "Van-na"),
    ("សុខា", "Sokha", "Xô-kha"),
    ("ចន្ថា", "Chantha", "Chăn-tha"),
    ("បុប្ផា", "Bopha", "Bô-pha"),
    ("រតនា", "Rathana", "Rắt-ta-na"),
    ("សម្បត្តិ", "Sambath", "Xăm-bát"),
    ("ពិសិដ្ឋ", "Piseth", "Pi-xết"),
    ("ធីតា", "Thida", "Thi-đa"),
]
LAO_GIVEN = [
    ("ສົມພອນ", "Somphone", "Xổm-phon"),
    ("ບຸນມີ", "Bounmy", "Bun-mi"),
    ("ຄຳພັນ", "Khamphan", "Khăm-phăn"),
    ("ສີສະຫວາດ", "Sisavath", "Xi-xa-vát"),
    ("ພອນສະຫວັນ", "Phonsavanh", "Phon-xa-văn"),
    ("ທອງລຸນ", "Thongloun", "Thoong-lun"),
    ("ແສງດາວ", "Sengdao", "Xeng-đao"),
    ("ບົວສອນ", "Bouasone", "Bua-xỏn"),
]
LAO_FAMILY = [
    ("ວົງສາ", "Vongsa", "Vông-xa"),
    ("ພົມວິຫານ", "Phomvihane", "Phôm-vi-hản"),
    ("ແກ້ວມະນີ", "Keomany", "Kẹo-ma-ni"),
    ("ຈັນທະວົງ", "Chanthavong", "Chăn-tha-vông"),
    ("ອິນທະວົງ", "Inthavong", "In-tha-vông"),
    ("ສຸວັນນະວົງ", "Souvannavong", "Xu-văn-na-vông"),
]
THAI_GIVEN = [
    ("สมชาย", "Somchai", "Xôm-chai"),
    ("สุดา", "Suda", "Xu-đa"),
    ("ประเสริฐ", "Prasert", "Pra-xợt"),
    ("วิไล", "Wilai", "Vi-lai"),
    ("อรุณ", "Arun", "A-run"),
    ("มาลี", "Malee", "Ma-li"),
    ("ธนา", "Thana", "Tha-na"),
    ("นิภา", "Nipha", "Ni-pha"),
]
THAI_FAMILY = [
    ("ศรีสุข", "Srisuk", "Xri-xúc"),
    ("แสงทอง", "Saengthong", "Xeng-thoong"),
    ("บุญมา", "Boonma", "Bun-ma"),
    ("ทองดี", "Thongdee", "Thoong-đi"),
    ("สุวรรณ", "Suwan", "Xu-oan"),
    ("พรหมมา", "Promma", "Prôm-ma"),
]
# Organisation words: (as written, Latin, Vietnamese, English) for each country's language.
ORG_WORDS = {
    "KH": [("ក្រុមហ៊ុន", "Krumhun", "Công ty", "Company"), ("មន្ទីរ", "Mochir", "Sở", "Department")],
    "LA": [("ບໍລິສັດ", "Borisat", "Công ty", "Company"), ("ພະແນກ", "Phanaek", "Sở", "Department")],
    "TH": [("บริษัท", "Borisat", "Công ty", "Company"), ("สมาคม", "Samakhom", "Hội", "Association")],
    "VN": [("Công ty", "Cong ty", "Công ty", "Company"), ("Hội", "Hoi", "Hội", "Association")],
}
COMMUNES = [
    ("Phường Cao Lãnh", ""),
    ("Phường Sa Đéc", ""),
    ("Phường Mỹ Tho", "Tiền Giang"),
    ("Xã Tân Hồng", ""),
    ("Xã Thanh Bình", ""),
    ("Xã Cái Bè", "Tiền Giang"),
    ("Xã Gò Công Tây", "Tiền Giang"),
    ("Xã Lấp Vò", ""),
]
TITLES = [
    "Chủ tịch",
    "Phó Chủ tịch",
    "Giám đốc",
    "Phó Giám đốc",
    "Trưởng phòng Đối ngoại",
    "Chuyên viên",
    "Thư ký",
    "Tổng Lãnh sự",
    "Tham tán",
    "Chủ tịch Hội",
]
TAG_NAMES = [
    "kết nghĩa",
    "học bổng",
    "thương mại biên giới",
    "nông nghiệp",
    "du lịch",
    "giáo dục",
    "y tế",
    "văn hóa",
    "thanh niên",
    "doanh nghiệp FDI",
]
SUBJECTS = {
    "meeting": "Tiếp xúc với {org}",
    "inbound_delegation": "Đón đoàn {org} vào làm việc",
    "outbound_delegation": "Đoàn của tỉnh thăm và làm việc với {org}",
    "phone_call": "Điện thoại trao đổi với {org}",
    "video_call": "Hội đàm trực tuyến với {org}",
    "email": "Thư điện tử gửi {org}",
    "letter": "Công hàm gửi {org}",
    "greetings": "Điện mừng gửi {org}",
    "event_participation": "{org} tham dự sự kiện của tỉnh",
    "other": "Trao đổi khác với {org}",
}
SUMMARIES = [
    "Hai bên trao đổi về hợp tác thương mại và đầu tư.",
    "Trao đổi về chương trình giao lưu văn hóa, thể thao năm tới.",
    "Bàn về hỗ trợ học bổng cho sinh viên và hợp tác giáo dục.",
    "Thống nhất kế hoạch phối hợp quản lý biên giới và an ninh.",
    "Cập nhật tình hình bà con kiều bào và các hoạt động cộng đồng.",
    "Thảo luận dự thảo biên bản ghi nhớ giai đoạn mới.",
]
ACTIONS = [
    "Gửi biên bản làm việc đã ký",
    "Dự thảo biên bản ghi nhớ",
    "Chuẩn bị báo cáo kết quả",
    "Gửi thư cảm ơn",
    "Liên hệ xác nhận lịch làm việc",
]
KIND_WEIGHTS = {
    "meeting": 20,
    "inbound_delegation": 8,
    "outbound_delegation": 6,
    "phone_call": 15,
    "video_call": 6,
    "email": 20,
    "letter": 6,
    "greetings": 10,
    "event_participation": 6,
    "other": 3,
}


def latin(text: str) -> str:
    """Vietnamese without diacritics, case kept: "Nguyễn Thị Đào" → "Nguyen Thi Dao"."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# ---------------------------------------------------------------------------------------------
# Phones: valid numbers of a region, drawn from the region's example mobile number


_EXAMPLES: dict[str, str] = {}


def phone_number(rng: Random, region: str) -> str:
    """A valid mobile number of `region` in E.164 (phonenumbers decides what is valid)."""
    if region not in _EXAMPLES:
        example = phonenumbers.example_number_for_type(
            region, phonenumbers.PhoneNumberType.MOBILE
        ) or phonenumbers.example_number(region)
        _EXAMPLES[region] = str(example.national_number)
    national = _EXAMPLES[region]
    keep = min(3, len(national) - 4)
    for _attempt in range(20):
        digits = national[:keep] + "".join(
            str(rng.randrange(10)) for _ in range(len(national) - keep)
        )
        number = phonenumbers.parse(digits, region)
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    number = phonenumbers.parse(national, region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# ---------------------------------------------------------------------------------------------
# The run: sizes, progress, context, steps


@dataclass
class Sizes:
    people: int = 0
    organizations: int = 0
    interactions: int = 0
    events: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))


class Progress:
    """A small progress bar on a stream (stderr): redrawn on a terminal, one line elsewhere."""

    def __init__(self, stream: TextIO | None):
        self.stream = stream

    def track(self, label: str, total: int) -> ProgressBar:
        return ProgressBar(self.stream, label, total)


class ProgressBar:
    WIDTH = 30

    def __init__(self, stream: TextIO | None, label: str, total: int):
        self.stream, self.label, self.total = stream, label, max(total, 0)
        self.done, self.started, self.drawn = 0, time.monotonic(), 0.0
        self.live = bool(stream is not None and getattr(stream, "isatty", lambda: False)())

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if self.live and now - self.drawn > 0.2:
            self.drawn = now
            self._draw("\r", "")

    def close(self) -> None:
        if self.stream is not None:
            self._draw("\r" if self.live else "", "\n")

    def _draw(self, start: str, end: str) -> None:
        share = self.done / self.total if self.total else 1.0
        filled = int(self.WIDTH * min(share, 1.0))
        bar = "#" * filled + "." * (self.WIDTH - filled)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"{start}{self.label:<14} [{bar}] {self.done:>9,}/{self.total:,} {elapsed:6.1f}s{end}"
        )
        self.stream.flush()


@dataclass
class Context:
    """What a step reads: the seed, today, batching, and what earlier steps made."""

    seed: int
    today: datetime.date
    batch_size: int
    progress: Progress
    countries: dict[str, Country] = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)
    staff: list[Any] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    pillars: list[PillarTag] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    organizations_by_country: dict[str, list[int]] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    people_by_country: dict[str, list[int]] = field(default_factory=dict)
    # organisation index → [(person index, start, end)], for interactions with its people
    positions_by_organization: dict[int, list[tuple[int, datetime.date, Any]]] = field(
        default_factory=dict
    )
    counts: dict[str, int] = field(default_factory=dict)

    def rng(self, step: str) -> Random:
        return Random(f"{self.seed}:{step}")

    def insert(self, model, rows: Iterable, label: str, total: int) -> list:
        """bulk_create `rows` in batches, with a progress bar; returns the saved rows."""
        bar = self.progress.track(label, total)
        saved: list = []
        for batch in batched(rows, self.batch_size):
            saved.extend(model.objects.bulk_create(batch, batch_size=self.batch_size))
            bar.advance(len(batch))
        bar.close()
        self.counts[label] = self.counts.get(label, 0) + len(saved)
        return saved


def batched(rows: Iterable, size: int) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True)
class Step:
    """One stage of the generation. `size` names the `Sizes` field giving its count (None: it
    always runs); `run(context, count)` writes its rows and records them on the context."""

    name: str
    run: Callable[[Context, int], None]
    size: str | None = None
    app: str | None = None  # the app that must be installed for it


# Steps other apps register (events); kept apart from ours so a test can reset them.
_REGISTERED: list[Step] = []


def register_step(step: Step) -> None:
    """Add a step after the contacts steps (call it from the app's `AppConfig.ready()`)."""
    if all(existing.name != step.name for existing in _REGISTERED):
        _REGISTERED.append(step)


# Optional steps and the apps that provide them, for a clear error when one is missing.
OPTIONAL_APPS = {"events": "events"}


def steps() -> list[Step]:
    return [*STEPS, *_REGISTERED]


def check_sizes(sizes: Sizes) -> None:
    """A size asked for must have a step (its app installed and its step registered)."""
    known = {step.size for step in steps() if step.size}
    for name, count in sizes.as_dict().items():
        if count <= 0 or name in known:
            continue
        app = OPTIONAL_APPS.get(name)
        if app and not apps.is_installed(app):
            raise SyntheticError(f"--{name}: {app} app not installed.")
        raise SyntheticError(
            f"--{name}: no synthetic step generates {name} (an app registers one with "
            "contacts.synthetic.register_step() in its AppConfig.ready())."
        )


def generate(
    sizes: Sizes,
    *,
    seed: int = 1,
    today: datetime.date | None = None,
    batch_size: int = 2000,
    progress: TextIO | None = None,
) -> dict[str, Any]:
    """Write the synthetic data (one transaction) and return the counts and the time taken."""
    check_sizes(sizes)
    started = time.monotonic()
    context = Context(
        seed=seed,
        today=today or timezone.localdate(),
        batch_size=batch_size,
        progress=Progress(progress),
    )
    with transaction.atomic():
        for step in steps():
            count = getattr(sizes, step.size) if step.size else 0
            if step.size and count <= 0:
                continue
            step.run(context, count)
    return {"counts": context.counts, "seconds": time.monotonic() - started}


# ---------------------------------------------------------------------------------------------
# The contacts steps


def step_reference(context: Context, _count: int) -> None:
    """Countries, units and pillars (loads the reference data when it is missing)."""
    if not Country.objects.filter(code="VN").exists() or not Unit.objects.exists():
        from contacts.reference import load_reference

        load_reference()
    context.countries = {country.code: country for country in Country.objects.all()}
    context.units = list(Unit.objects.order_by("code"))
    context.pillars = list(PillarTag.objects.order_by("code"))
    if not context.pillars:
        raise SyntheticError("The ASEAN pillars are missing: run the migrations first.")


def step_staff(context: Context, _count: int) -> None:
    """Twenty staff users (unusable passwords, editor role) for interactions and follow-ups."""
    user_model = get_user_model()
    names = [f"{STAFF_PREFIX}{n:02d}" for n in range(1, 21)]
    existing = set(user_model.objects.filter(username__in=names).values_list("username", flat=True))
    new = []
    for n, name in enumerate(names):
        if name in existing:
            continue
        user = user_model(username=name, is_staff=True, first_name=f"Cán bộ {n + 1}")
        user.last_name = "Tổng hợp"
        user.set_unusable_password()
        new.append(user)
    user_model.objects.bulk_create(new)
    context.staff = list(user_model.objects.filter(username__in=names).order_by("username"))
    editor = Group.objects.filter(name="editor").first()
    if editor is not None:
        editor.user_set.add(*context.staff)
    for index, user in enumerate(context.staff):
        context.units[index % len(context.units)].members.add(user)


def step_tags(context: Context, _count: int) -> None:
    existing = set(Tag.objects.filter(name__in=TAG_NAMES).values_list("name", flat=True))
    Tag.objects.bulk_create([Tag(name=name) for name in TAG_NAMES if name not in existing])
    context.tags = list(Tag.objects.filter(name__in=TAG_NAMES).order_by("name"))


def _with_search_columns(
    row, contact_points: list[ContactPoint] | None = None, **related: list
) -> None:
    """Fill the row's search columns with the model's own builder, as save() would.

    The builders read related rows (`self.contact_points.all()`, an interaction's
    organisations and people…), which needs a primary key; the unsaved row gets a placeholder
    key for the call and the rows it will be linked to as its prefetched sets (no query)."""
    row.pk = -1
    cache = {name: rows for name, rows in related.items()}
    if contact_points is not None:
        cache["contact_points"] = contact_points
    row._prefetched_objects_cache = cache
    try:
        for name, value in row.search_columns().items():
            setattr(row, name, value)
    finally:
        row.pk = None
        del row._prefetched_objects_cache


# Synthetic partners are never "to be confirmed": that state is for reference data only.
ORG_STATUSES = ["prospective", "active", "dormant", "ended"]
ORG_COUNTRY_WEIGHTS = {"KH": 30, "LA": 25, "TH": 15, "VN": 20}


def _weighted(rng: Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def step_organizations(context: Context, count: int) -> None:
    rng = context.rng("organizations")
    kinds = [kind for kind in Organization.Kind.values if kind != "counterpart_province"]
    others = sorted(set(context.countries) - set(ORG_COUNTRY_WEIGHTS))
    plans: list[tuple[Organization, list[ContactPoint], list[PillarTag], list[Tag]]] = []
    for n in range(count):
        code = _weighted(rng, ORG_COUNTRY_WEIGHTS) if rng.random() < 0.9 else rng.choice(others)
        word = rng.choice(ORG_WORDS.get(code, ORG_WORDS["VN"]))
        stem_native, stem_latin, stem_vi = _org_stem(rng, code)
        number = n + 1
        organization = Organization(
            name_native=f"{word[0]} {stem_native} {number}",
            name_vi=f"{word[2]} {stem_vi} {number}",
            name_en=f"{stem_latin} {word[3]} {number}",
            abbreviation=f"{stem_latin[:3].upper()}{number}",
            kind=rng.choice(kinds),
            country=context.countries[code],
            region=rng.choice(["", "Prey Veng", "Champasak", "Udon Thani", "Đồng Tháp"]),
            relationship_status=rng.choices(ORG_STATUSES, weights=[10, 70, 15, 5])[0],
            website=f"https://org{number}.example.org" if rng.random() < 0.5 else "",
            notes=ORGANIZATION_MARKER,
            owner_unit=rng.choice(context.units),
        )
        points = [
            ContactPoint(
                kind=ContactPoint.Kind.PHONE,
                value=phone_number(rng, code),
                label="work",
                is_primary=True,
            ),
            ContactPoint(kind=ContactPoint.Kind.EMAIL, value=f"contact@org{number}.example.org"),
        ][: rng.randint(0, 2)]
        _with_search_columns(organization, points)
        pillars = rng.sample(context.pillars, rng.randint(0, 2))
        tags = rng.sample(context.tags, rng.randint(0, 2))
        plans.append((organization, points, pillars, tags))

    # Parents: about one in ten organisations sits under an earlier one of its country.
    saved = context.insert(Organization, (plan[0] for plan in plans), "organizations", count)
    start = len(context.organizations)
    context.organizations.extend(saved)
    for index, row in enumerate(saved, start=start):
        context.organizations_by_country.setdefault(row.country_id, []).append(index)
    parents = []
    for index, row in enumerate(saved, start=start):
        earlier = [i for i in context.organizations_by_country[row.country_id][:50] if i < index]
        if earlier and rng.random() < 0.1:
            row.parent_id = context.organizations[rng.choice(earlier)].pk
            parents.append(row)
    Organization.objects.bulk_update(parents, ["parent"], batch_size=context.batch_size)

    points = []
    for (_row, row_points, _pillars, _tags), saved_row in zip(plans, saved, strict=True):
        for point in row_points:
            point.organization = saved_row
            points.append(point)
    context.insert(ContactPoint, points, "org contacts", len(points))
    pillar_links = Organization.pillars.through
    context.insert(
        pillar_links,
        (
            pillar_links(organization_id=row.pk, pillartag_id=pillar.pk)
            for (row, _p, pillars, _t) in plans
            for pillar in pillars
        ),
        "org pillars",
        sum(len(plan[2]) for plan in plans),
    )
    tag_links = Organization.tags.through
    context.insert(
        tag_links,
        (
            tag_links(organization_id=row.pk, tag_id=tag.pk)
            for (row, _p, _l, tags) in plans
            for tag in tags
        ),
        "org tags",
        sum(len(plan[3]) for plan in plans),
    )


def _org_stem(rng: Random, code: str) -> tuple[str, str, str]:
    """A name-like word in the country's script: (as written, Latin, Vietnamese)."""
    if code == "KH":
        return rng.choice(KHMER_GIVEN)
    if code == "LA":
        return rng.choice(LAO_FAMILY)
    if code == "TH":
        return rng.choice(THAI_FAMILY)
    given = rng.choice(VI_GIVEN["male"] + VI_GIVEN["female"])
    if code == "VN":
        return given, latin(given), given
    return latin(given), latin(given), given


LANGUAGES = {"VN": ["vi"], "KH": ["km", "vi"], "LA": ["lo"], "TH": ["th", "en"]}
PERSON_COUNTRY_WEIGHTS = {"VN": 40, "KH": 25, "LA": 20, "TH": 15}
DIASPORA_COUNTRIES = {"TH": 30, "KH": 20, "LA": 15, "AU": 10, "US": 10, "FR": 5, "JP": 5, "KR": 5}


def _person_name(rng: Random, code: str, gender: str) -> tuple[str, str, str]:
    if code == "VN":
        written = " ".join(
            [
                rng.choice(VI_FAMILY),
                rng.choice(VI_MIDDLE[gender]),
                rng.choice(VI_GIVEN[gender]),
            ]
        )
        return written, latin(written), written
    if code == "KH":  # family name first
        parts = [rng.choice(KHMER_FAMILY), rng.choice(KHMER_GIVEN)]
    elif code == "LA":  # given name first
        parts = [rng.choice(LAO_GIVEN), rng.choice(LAO_FAMILY)]
    else:  # Thai: given name first
        parts = [rng.choice(THAI_GIVEN), rng.choice(THAI_FAMILY)]
    return tuple(" ".join(part[i] for part in parts) for i in range(3))


def _birthday(rng: Random) -> dict[str, int | None]:
    if rng.random() < 0.4:
        return {"birth_year": None, "birth_month": None, "birth_day": None}
    year = rng.randint(1950, 2000)
    month = rng.randint(1, 12)
    day = rng.randint(1, calendar.monthrange(year, month)[1])
    return {
        "birth_year": year if rng.random() < 0.8 else None,
        "birth_month": month,
        "birth_day": day,
    }


def _email(name: str, number: int) -> str:
    local = latin(name).lower().replace("-", "").replace(" ", ".")
    return f"{local}.{number}@example.com"


def step_people(context: Context, count: int) -> None:
    rng = context.rng("people")
    diaspora = {c: w for c, w in DIASPORA_COUNTRIES.items() if c in context.countries}
    plans: list[tuple[Person, list[ContactPoint], list[Tag]]] = []
    for n in range(count):
        code = _weighted(rng, PERSON_COUNTRY_WEIGHTS)
        gender = rng.choice(["male", "female"])
        written, transliterated, rendered = _person_name(rng, code, gender)
        residence = code
        commune, former = "", ""
        if code == "VN":
            if rng.random() < 0.6:
                category = Person.Category.OVERSEAS_VIETNAMESE
                residence = _weighted(rng, diaspora)
                commune, former = rng.choice(COMMUNES)
            else:
                category = Person.Category.DOMESTIC
        else:
            category = rng.choice(
                [Person.Category.COUNTERPART_OFFICIAL, Person.Category.FOREIGN_PARTNER]
            )
        honorific = {"male": "Ông", "female": "Bà"}[gender]
        person = Person(
            full_name_native=written,
            name_latin=transliterated,
            name_vi=rendered,
            honorific=honorific,
            gender=gender,
            nationality=context.countries[code],
            residence_country=context.countries[residence],
            category=category,
            home_commune=commune,
            home_commune_former=former,
            occupation=rng.choice(["", "Cán bộ", "Doanh nhân", "Sinh viên", "Giảng viên"]),
            languages=LANGUAGES[code] if category != Person.Category.DOMESTIC else ["vi"],
            notes=f"{PERSON_MARKER} #{n + 1}",
            owner_unit=rng.choice(context.units),
            **_birthday(rng),
        )
        points = [
            ContactPoint(
                kind=ContactPoint.Kind.PHONE,
                value=phone_number(rng, residence),
                label="mobile",
                is_primary=True,
            )
        ]
        if residence != "VN" and code == "VN" and rng.random() < 0.5:
            points.append(ContactPoint(kind=ContactPoint.Kind.ZALO, value=phone_number(rng, "VN")))
        if rng.random() < 0.5:
            points.append(
                ContactPoint(kind=ContactPoint.Kind.EMAIL, value=_email(transliterated, n + 1))
            )
        _with_search_columns(person, points, positions=[])
        plans.append((person, points, rng.sample(context.tags, rng.choice([0, 0, 1, 2]))))

    saved = context.insert(Person, (plan[0] for plan in plans), "people", count)
    start = len(context.people)
    context.people.extend(saved)
    for index, row in enumerate(saved, start=start):
        context.people_by_country.setdefault(row.nationality_id, []).append(index)
    points = []
    for (_row, row_points, _tags), saved_row in zip(plans, saved, strict=True):
        for point in row_points:
            point.person = saved_row
            points.append(point)
    context.insert(ContactPoint, points, "person contacts", len(points))
    tag_links = Person.tags.through
    context.insert(
        tag_links,
        (tag_links(person_id=row.pk, tag_id=tag.pk) for (row, _p, tags) in plans for tag in tags),
        "person tags",
        sum(len(plan[2]) for plan in plans),
    )


def step_positions(context: Context, _count: int) -> None:
    """Careers: each official or partner holds one to three posts in turn, in organisations of
    their country. A post (organisation, title) is held by one person at a time, so at most one
    holds it now."""
    rng = context.rng("positions")
    if not context.organizations:
        return
    start_of_history = context.today.replace(year=context.today.year - HISTORY_YEARS)
    free_from: dict[tuple[int, str], datetime.date] = {}  # post → when it is next free
    rows = []
    for person_index, person in enumerate(context.people):
        if person.category == Person.Category.OVERSEAS_VIETNAMESE and rng.random() < 0.8:
            continue
        pool = context.organizations_by_country.get(person.nationality_id) or range(
            len(context.organizations)
        )
        day = start_of_history + datetime.timedelta(days=rng.randrange(3650))
        for turn in range(rng.randint(1, 3)):
            last = turn == 2 or rng.random() < 0.4
            length = datetime.timedelta(days=rng.randint(365, 6 * 365))
            end = None if last and rng.random() < 0.7 else day + length
            if end is not None and end >= context.today:
                end = None
            post = None
            for _attempt in range(6):
                candidate = (rng.choice(pool), rng.choice(TITLES))
                if free_from.get(candidate, start_of_history) <= day:
                    post = candidate
                    break
            if post is not None:
                free_from[post] = end or datetime.date.max
                rows.append(
                    Position(
                        person=person,
                        organization=context.organizations[post[0]],
                        title=post[1],
                        department=rng.choice(["", "Phòng Hợp tác quốc tế", "Văn phòng"]),
                        start_date=day,
                        end_date=end,
                        is_primary=end is None,
                    )
                )
                context.positions_by_organization.setdefault(post[0], []).append(
                    (person_index, day, end)
                )
            if end is None:
                break
            day = end
    context.insert(Position, rows, "positions", len(rows))
    # People are found by the organisations of their posts: their search text, with the
    # builder's own rule, in one bulk update.
    held: dict[int, list[Position]] = {}
    for row in rows:
        held.setdefault(row.person.pk, []).append(row)
    holders = [person for person in context.people if person.pk in held]
    for person in holders:
        person._prefetched_objects_cache = {"positions": held[person.pk]}
        person.search_text = person.build_search_text()
        del person._prefetched_objects_cache
    Person.objects.bulk_update(holders, ["search_text"], batch_size=context.batch_size)


def step_interactions(context: Context, count: int) -> None:
    rng = context.rng("interactions")
    if not context.organizations:
        raise SyntheticError("Interactions need organisations: give --organizations.")
    days = (context.today - context.today.replace(year=context.today.year - HISTORY_YEARS)).days
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    plans = []
    for _n in range(count):
        # More recent years are busier: the day is the later of two draws a third of the time.
        ago = rng.randrange(days)
        if rng.random() < 0.33:
            ago = min(ago, rng.randrange(days))
        occurred_on = context.today - datetime.timedelta(days=ago)
        kind = rng.choices(kinds, weights=weights)[0]
        org_index = rng.randrange(len(context.organizations))
        organization = context.organizations[org_index]
        org_indexes = {org_index}
        if rng.random() < 0.2:
            org_indexes.add(rng.randrange(len(context.organizations)))
        held = [
            person
            for person, start, end in context.positions_by_organization.get(org_index, ())
            if start <= occurred_on and (end is None or end > occurred_on)
        ]
        people = set(rng.sample(held, min(len(held), rng.randint(0, 3))))
        country_people = context.people_by_country.get(organization.country_id, ())
        if country_people and rng.random() < 0.5:
            people.add(rng.choice(country_people))
        interaction = Interaction(
            occurred_on=occurred_on,
            occurred_time=datetime.time(rng.randint(7, 17), rng.choice([0, 15, 30, 45]))
            if rng.random() < 0.5
            else None,
            kind=kind,
            subject=SUBJECTS[kind].format(org=organization.name_vi),
            summary=rng.choice(SUMMARIES),
            location=rng.choice(["", "Cao Lãnh", "Prey Veng", "Pakse", "Udon Thani"]),
            confidentiality=rng.choices(["public", "internal", "restricted"], weights=[15, 80, 5])[
                0
            ],
            owner_unit=rng.choice(context.units),
        )
        _with_search_columns(
            interaction,
            organizations=[context.organizations[o] for o in sorted(org_indexes)],
            people=[context.people[p] for p in sorted(people)],
        )
        follow_ups = []
        for _f in range(rng.choice([0, 0, 1, 1, 2])):
            due_on = occurred_on + datetime.timedelta(days=rng.randint(7, 90))
            status = "open" if due_on >= context.today - datetime.timedelta(days=60) else None
            status = status or rng.choices(["done", "cancelled", "open"], weights=[80, 15, 5])[0]
            done_at = None
            if status == "done":
                done_on = min(due_on, context.today - datetime.timedelta(days=1))
                done_at = datetime.datetime.combine(
                    done_on, datetime.time(16, 30), tzinfo=LOCAL_ZONE
                )
            follow_ups.append(
                FollowUp(
                    action=rng.choice(ACTIONS),
                    due_on=due_on,
                    status=status,
                    done_at=done_at,
                    assignee=rng.choice(context.staff),
                )
            )
        plans.append(
            (
                interaction,
                sorted(people),
                sorted(org_indexes),
                rng.sample(context.staff, rng.randint(1, 2)),
                rng.sample(context.pillars, rng.randint(1, 2)),
                follow_ups,
            )
        )

    saved = context.insert(Interaction, (plan[0] for plan in plans), "interactions", count)
    _insert_interaction_links(context, plans, saved, rng)


def _insert_interaction_links(context: Context, plans, saved, rng: Random) -> None:
    roles = ["", "", "Trưởng đoàn", "Phiên dịch", "Thành viên"]
    participants, organizations, staff, pillars, follow_ups = [], [], [], [], []
    org_through = Interaction.organizations.through
    staff_through = Interaction.staff.through
    pillar_through = Interaction.pillars.through
    for (_i, people, org_indexes, users, tags, items), row in zip(plans, saved, strict=True):
        participants += [
            Participant(
                interaction_id=row.pk, person_id=context.people[p].pk, role=rng.choice(roles)
            )
            for p in people
        ]
        organizations += [
            org_through(interaction_id=row.pk, organization_id=context.organizations[o].pk)
            for o in org_indexes
        ]
        staff += [staff_through(interaction_id=row.pk, user_id=user.pk) for user in users]
        pillars += [pillar_through(interaction_id=row.pk, pillartag_id=tag.pk) for tag in tags]
        for item in items:
            item.interaction_id = row.pk
            follow_ups.append(item)
    context.insert(Participant, participants, "participants", len(participants))
    context.insert(org_through, organizations, "interaction orgs", len(organizations))
    context.insert(staff_through, staff, "interaction staff", len(staff))
    context.insert(pillar_through, pillars, "interaction pillars", len(pillars))
    context.insert(FollowUp, follow_ups, "follow-ups", len(follow_ups))


STEPS: list[Step] = [
    Step("reference", step_reference),
    Step("staff", step_staff),
    Step("tags", step_tags),
    Step("organizations", step_organizations, size="organizations"),
    Step("people", step_people, size="people"),
    Step("positions", step_positions, size="people"),
    Step("interactions", step_interactions, size="interactions"),
]


def summary_lines(result: dict[str, Any]) -> list[str]:
    lines = [f"{label}: {count:,}" for label, count in result["counts"].items()]
    lines.append(f"elapsed: {result['seconds']:.1f}s")
    return lines
