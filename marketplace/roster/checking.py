"""Checking a roster (核对名册): every row against the rules and the database before anything is
written. Nothing here writes; :mod:`.operations` applies a clean result.

Rows are read in chunks, and each chunk costs a fixed number of queries whatever its size (the
accounts its 学号/工号 match, the accounts holding its emails, the memberships of the matched
people), so a roster of thousands of students takes a few dozen queries, not one per row.

Blank optional cells never clear what the database holds: an existing account keeps its phone,
political status, degree level, status and college when the file leaves them empty (a new student
with no 学历层次 is an undergraduate), and an existing membership
keeps its role, title and end date. An account that has been claimed keeps the email its owner
chose and verified; the file's email only fills in accounts nobody has claimed yet.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..accounts.models import AccountKind, AccountStatus, DegreeLevel, PoliticalStatus, User
from ..extensions import db
from ..orgs.models import College, MemberRole, Membership, Organization
from .files import (
    COLLEGE,
    COLUMNS,
    DEGREE,
    EMAIL,
    ENDS,
    GRADE,
    KIND,
    MEMBERSHIP_COLUMNS,
    NAME,
    NUMBER,
    ORG,
    PERSONAL_COLUMNS,
    PHONE,
    POLITICAL,
    REQUIRED_COLUMNS,
    ROLE,
    STARTS,
    STATUS,
    TITLE,
    Table,
)

CHUNK = 500
PREVIEW_ROWS = 20
# How many errors a job keeps: enough to fix a file, not a megabyte of JSON for a wrong file.
MAX_ERRORS = 1000

Progress = Callable[[int, int], None]  # (rows done, rows in all)

# Where each personal column goes on the account.
ACCOUNT_FIELDS = {
    NAME: "name",
    COLLEGE: "college_id",
    GRADE: "grade",
    DEGREE: "degree_level",
    PHONE: "phone",
    EMAIL: "email",
    POLITICAL: "political_status",
    STATUS: "status",
}
# Shorthands that school rosters commonly use for 政治面貌.
POLITICAL_ALIASES = {
    "党员": PoliticalStatus.PARTY_MEMBER,
    "预备党员": PoliticalStatus.PROBATIONARY_MEMBER,
    "团员": PoliticalStatus.LEAGUE_MEMBER,
}
# ... and for 学历层次.
DEGREE_ALIASES = {
    "本科生": DegreeLevel.UNDERGRADUATE,
    "硕士生": DegreeLevel.MASTER,
    "硕士研究生": DegreeLevel.MASTER,
    "博士生": DegreeLevel.DOCTORAL,
    "博士研究生": DegreeLevel.DOCTORAL,
}
_IDENTIFIER = re.compile(r"[A-Za-z0-9]{1,32}")
_PHONE = re.compile(r"1\d{10}")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_FAR = date(9999, 12, 31)


class CellError(Exception):
    """A cell's value breaks a rule; the message is for the admin."""


@dataclass
class Person:
    """One account described by the file (on one or more rows)."""

    kind: AccountKind
    number: str
    row: int
    values: dict  # account attribute -> value; None: keep what the account has (or the default)
    texts: tuple[str, ...]  # the personal cells as typed, which later rows must repeat
    user_id: int | None = None
    changes: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple[AccountKind, str]:
        return self.kind, self.number

    @property
    def action(self) -> str:
        return "create" if self.user_id is None else ("update" if self.changes else "same")


@dataclass
class Appointment:
    """One membership described by one row."""

    row: int
    person: Person
    org_id: int
    role: MemberRole | None  # None: 成员 when created, unchanged when updated
    title: str | None
    starts_on: date
    ends_on: date | None
    membership_id: int | None = None
    changes: dict = field(default_factory=dict)

    @property
    def action(self) -> str:
        return "create" if self.membership_id is None else ("update" if self.changes else "same")

    def overlaps(self, starts_on: date, ends_on: date | None) -> bool:
        return self.starts_on <= (ends_on or _FAR) and starts_on <= (self.ends_on or _FAR)


@dataclass
class CheckResult:
    total: int
    errors: list[dict]
    people: list[Person]
    appointments: list[Appointment]
    preview: list[dict]

    @property
    def valid(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        if not self.valid:
            return {
                "rows": self.total,
                "error_count": len(self.errors),
                "error_rows": len({e["row"] for e in self.errors}),
            }
        counts = {"rows": self.total}
        for prefix, items in (("users", self.people), ("memberships", self.appointments)):
            for action, word in (("create", "created"), ("update", "updated"), ("same", "unchanged")):
                counts[f"{prefix}_{word}"] = sum(1 for item in items if item.action == action)
        # What the notification and the page call "memberships written".
        counts["memberships"] = counts["memberships_created"] + counts["memberships_updated"]
        return counts

    def kept_errors(self) -> list[dict]:
        return self.errors[:MAX_ERRORS]


def error(row: int | None, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


def check_table(table: Table, progress: Progress | None = None) -> CheckResult:
    """Check every row of ``table``; ``progress(done, total)`` is called after each chunk."""
    checker = _Checker(table.header)
    if checker.errors:
        return checker.result(0)
    total = len(table.rows)
    if not total:
        checker.fail(None, "", _("文件里没有数据行。请在表头下方填写名册后再上传。"))
    for start in range(0, total, CHUNK):
        for number, texts in table.rows[start : start + CHUNK]:
            checker.check_row(number, texts)
        checker.look_up_chunk()
        if progress is not None:
            progress(min(start + CHUNK, total), total)
    return checker.result(total)


def _labels(members: type[enum.Enum]) -> dict[str, enum.Enum]:
    """The Chinese label of each member, as a file writes it, whatever language the admin reads."""
    with force_locale("zh_CN"):
        return {str(member.label): member for member in members}


def _in_order(error_entry: dict) -> tuple:
    column = error_entry["column"]
    return error_entry["row"] or 0, COLUMNS.index(column) if column in COLUMNS else -1


class _Checker:
    def __init__(self, header: list[str]):
        self.errors: list[dict] = []
        self.index: dict[str, int] = {}
        self._check_header(header)
        self.kinds = _labels(AccountKind)
        self.statuses = _labels(AccountStatus)
        self.roles = _labels(MemberRole)
        self.political = {**_labels(PoliticalStatus), **POLITICAL_ALIASES}
        self.degrees = {**_labels(DegreeLevel), **DEGREE_ALIASES}
        self.colleges = dict(db.session.execute(select(College.name, College.id)).all())
        self.orgs = dict(db.session.execute(select(Organization.name, Organization.id)).all())
        self.people: dict[tuple, Person] = {}
        self.appointments: list[Appointment] = []
        self.periods: dict[tuple, list[Appointment]] = {}  # (person, org) -> its appointments so far
        self.rows_seen: dict[tuple, int] = {}
        self.emails: dict[str, tuple[tuple, int]] = {}
        self.preview: list[tuple[int, list[str], Person | None, Appointment | None]] = []
        # Waiting for the end of the chunk, to be looked up in one query each.
        self.new_people: list[Person] = []
        self.email_rows: list[tuple[int, str, tuple]] = []
        self.new_appointments: list[Appointment] = []

    # -- the header ---------------------------------------------------------------------------------

    def _check_header(self, header: list[str]) -> None:
        for position, name in enumerate(header):
            if not name:
                continue
            if name not in COLUMNS:
                self.fail(1, name, _("无法识别“%(column)s”列，请使用导入模板中的列名。", column=name))
            elif name in self.index:
                self.fail(1, name, _("“%(column)s”列出现了不止一次。", column=name))
            else:
                self.index[name] = position
        for name in REQUIRED_COLUMNS:
            if name not in self.index:
                self.fail(1, name, _("缺少“%(column)s”列，请使用导入模板。", column=name))

    def fail(self, row: int | None, column: str, message: str) -> None:
        self.errors.append(error(row, column, message))

    def _cell(self, texts: list[str], column: str) -> str:
        position = self.index.get(column)
        return texts[position] if position is not None and position < len(texts) else ""

    # -- one row ------------------------------------------------------------------------------------

    def check_row(self, row: int, texts: list[str]) -> None:
        cells = {name: self._cell(texts, name) for name in COLUMNS}
        whole = tuple(cells.values())
        if whole in self.rows_seen:
            self.fail(row, "", _("与第 %(row)s 行完全相同，请删除重复的行。", row=self.rows_seen[whole]))
            return
        self.rows_seen[whole] = row
        errors_before = len(self.errors)
        parsed = {}

        def take(column: str, parse: Callable[[str], object]):
            try:
                parsed[column] = parse(cells[column])
            except CellError as problem:
                self.fail(row, column, str(problem))
                parsed[column] = problem

        take(KIND, self._kind)
        kind = parsed[KIND] if isinstance(parsed[KIND], AccountKind) else None
        take(NUMBER, _identifier)
        take(NAME, lambda text: _text(text, 64, _("请填写姓名。")))
        take(COLLEGE, lambda text: self._college(text, kind))
        take(GRADE, lambda text: _grade(text, kind))
        take(DEGREE, lambda text: self._degree(text, kind))
        take(PHONE, _phone)
        take(EMAIL, _email)
        take(POLITICAL, self._political)
        take(STATUS, self._status)
        personal_ok = len(self.errors) == errors_before
        person = None
        if kind and isinstance(parsed[NUMBER], str):
            person = self._person(row, cells, parsed, personal_ok)
        appointment = self._appointment(row, cells, person)
        if len(self.preview) < PREVIEW_ROWS:
            self.preview.append((row, list(whole), person, appointment))

    def _person(self, row: int, cells: dict, parsed: dict, personal_ok: bool) -> Person | None:
        key = (parsed[KIND], parsed[NUMBER])
        texts = tuple(cells[column] for column in PERSONAL_COLUMNS)
        person = self.people.get(key)
        if person is not None:
            for column, first, this in zip(PERSONAL_COLUMNS, person.texts, texts, strict=True):
                if first != this:
                    message = _(
                        "与第 %(row)s 行同一人的“%(column)s”不一致，同一人各行的个人信息应当相同。",
                        row=person.row,
                        column=column,
                    )
                    self.fail(row, column, message)
                    break
        elif personal_ok:
            values = {attribute: parsed[column] for column, attribute in ACCOUNT_FIELDS.items()}
            person = Person(kind=key[0], number=key[1], row=row, texts=texts, values=values)
            self.people[key] = person
            self.new_people.append(person)
        email = parsed[EMAIL]
        if isinstance(email, str):
            owner_key, owner_row = self.emails.setdefault(email, (key, row))
            if owner_key != key:
                self.fail(row, EMAIL, _("该邮箱与第 %(row)s 行另一个人的邮箱重复。", row=owner_row))
            else:
                self.email_rows.append((row, email, key))
        return person

    def _appointment(self, row: int, cells: dict, person: Person | None) -> Appointment | None:
        if not cells[ORG]:
            filled = next((column for column in MEMBERSHIP_COLUMNS if cells[column]), None)
            if filled:
                self.fail(row, ORG, _("填写了“%(column)s”，但没有填写组织。", column=filled))
            return None
        errors_before = len(self.errors)
        values = {}
        for column, parse in (
            (ORG, self._org),
            (ROLE, self._role),
            (TITLE, lambda text: _text(text, 64) or None),
            (STARTS, lambda text: _date(text, required=True)),
            (ENDS, _date),
        ):
            try:
                values[column] = parse(cells[column])
            except CellError as problem:
                self.fail(row, column, str(problem))
        if STARTS in values and values.get(ENDS) and values[ENDS] < values[STARTS]:
            self.fail(row, ENDS, _("结束日期不能早于开始日期。"))
        if person is None or len(self.errors) > errors_before:
            return None
        appointment = Appointment(
            row, person, values[ORG], values[ROLE], values[TITLE], values[STARTS], values[ENDS]
        )
        periods = self.periods.setdefault((person.key, appointment.org_id), [])
        for other in periods:
            if other.overlaps(appointment.starts_on, appointment.ends_on):
                self.fail(row, STARTS, _("与第 %(row)s 行同一人在同一组织的任职时间重叠。", row=other.row))
                return None
        periods.append(appointment)
        self.appointments.append(appointment)
        self.new_appointments.append(appointment)
        return appointment

    # -- the cells ----------------------------------------------------------------------------------

    def _kind(self, text: str) -> AccountKind:
        if not text:
            raise CellError(_("请填写类型：学生或教职工。"))
        if text not in self.kinds:
            raise CellError(_("类型只能填写“学生”或“教职工”。"))
        return self.kinds[text]

    def _college(self, text: str, kind: AccountKind | None) -> int | None:
        if not text:
            if kind == AccountKind.STUDENT:
                raise CellError(_("学生须填写学院。"))
            return None
        if text not in self.colleges:
            raise CellError(
                _("系统中还没有“%(name)s”这个学院。请核对名称，或先在系统管理中添加该学院。", name=text)
            )
        return self.colleges[text]

    def _political(self, text: str) -> PoliticalStatus | None:
        if not text:
            return None
        if text not in self.political:
            raise CellError(
                _("政治面貌只能填写：%(choices)s，也可以留空。", choices="、".join(_labels(PoliticalStatus)))
            )
        return self.political[text]

    def _degree(self, text: str, kind: AccountKind | None) -> DegreeLevel | None:
        if not text:
            return None
        if kind == AccountKind.FACULTY:
            raise CellError(_("教职工无需填写学历层次，请留空。"))
        if text not in self.degrees:
            raise CellError(_("学历层次只能填写“本科”“硕士”或“博士”，也可以留空（新账号按本科处理）。"))
        return self.degrees[text]

    def _status(self, text: str) -> AccountStatus | None:
        if not text:
            return None
        if text not in self.statuses:
            raise CellError(_("状态只能填写“正常”“已毕业”或“已停用”，也可以留空。"))
        return self.statuses[text]

    def _org(self, text: str) -> int:
        if text not in self.orgs:
            raise CellError(
                _("系统中没有名为“%(name)s”的组织。请核对名称，或先在系统管理中添加该组织。", name=text)
            )
        return self.orgs[text]

    def _role(self, text: str) -> MemberRole | None:
        if not text:
            return None
        if text not in self.roles:
            raise CellError(_("组织角色只能填写“负责人”或“成员”，留空按成员处理。"))
        return self.roles[text]

    # -- the database, once per chunk ---------------------------------------------------------------

    def look_up_chunk(self) -> None:
        self._match_accounts(self.new_people)
        self._check_emails(self.email_rows)
        self._match_memberships(self.new_appointments)
        self.new_people, self.email_rows, self.new_appointments = [], [], []

    def _match_accounts(self, people: list[Person]) -> None:
        if not people:
            return
        numbers = {kind: {p.number for p in people if p.kind == kind} for kind in AccountKind}
        rows = db.session.execute(
            select(
                User.id,
                User.kind,
                User.student_no,
                User.staff_no,
                User.name,
                User.college_id,
                User.grade,
                User.degree_level,
                User.phone,
                User.email,
                User.political_status,
                User.status,
                User.password_hash.is_not(None).label("claimed"),
            ).where(
                or_(
                    User.student_no.in_(numbers[AccountKind.STUDENT]),
                    User.staff_no.in_(numbers[AccountKind.FACULTY]),
                )
            )
        ).all()
        found = {}
        for account in rows:
            if account.student_no in numbers[AccountKind.STUDENT]:
                found[(AccountKind.STUDENT, account.student_no)] = account
            if account.staff_no in numbers[AccountKind.FACULTY]:
                found[(AccountKind.FACULTY, account.staff_no)] = account
        for person in people:
            account = found.get(person.key)
            if account is not None:
                person.user_id = account.id
                person.changes = _changes(person.values, account)

    def _check_emails(self, email_rows: list[tuple[int, str, tuple]]) -> None:
        if not email_rows:
            return
        owners = {
            email: (kind, student_no if kind == AccountKind.STUDENT else staff_no)
            for email, kind, student_no, staff_no in db.session.execute(
                select(func.lower(User.email), User.kind, User.student_no, User.staff_no).where(
                    func.lower(User.email).in_({email for _row, email, _key in email_rows})
                )
            )
        }
        for row, email, key in email_rows:
            owner = owners.get(email)
            if owner is not None and owner != key:
                self.fail(row, EMAIL, _("该邮箱已被另一个账号（%(identifier)s）使用。", identifier=owner[1]))

    def _match_memberships(self, appointments: list[Appointment]) -> None:
        known = [a for a in appointments if a.person.user_id is not None]
        if not known:
            return
        existing: dict[tuple[int, int], list] = {}
        for membership in db.session.execute(
            select(
                Membership.id,
                Membership.user_id,
                Membership.org_id,
                Membership.role,
                Membership.title,
                Membership.starts_on,
                Membership.ends_on,
            ).where(
                Membership.user_id.in_({a.person.user_id for a in known}),
                Membership.org_id.in_({a.org_id for a in known}),
            )
        ):
            existing.setdefault((membership.user_id, membership.org_id), []).append(membership)
        for appointment in known:
            clashes = [
                m
                for m in existing.get((appointment.person.user_id, appointment.org_id), [])
                if appointment.overlaps(m.starts_on, m.ends_on)
            ]
            if not clashes:
                continue
            if len(clashes) == 1 and clashes[0].starts_on == appointment.starts_on:
                appointment.membership_id = clashes[0].id
                appointment.changes = _membership_changes(appointment, clashes[0])
                continue
            start = min(m.starts_on for m in clashes).isoformat()
            message = _(
                "与此人在该组织已有的任职（%(start)s 起）重叠。要修改那条记录，请把开始日期填为 %(start)s。",
                start=start,
            )
            self.fail(appointment.row, STARTS, message)

    # -- the outcome --------------------------------------------------------------------------------

    def result(self, total: int) -> CheckResult:
        self.errors.sort(key=_in_order)
        preview = []
        if not self.errors:
            for row, cells, person, appointment in self.preview:
                preview.append(
                    {
                        "row": row,
                        "cells": cells,
                        "user": person.action if person else None,
                        "membership": appointment.action if appointment else None,
                    }
                )
        return CheckResult(
            total=total,
            errors=self.errors,
            people=list(self.people.values()),
            appointments=self.appointments,
            preview=preview,
        )


def _changes(values: dict, account) -> dict:
    """What the import changes on an existing account (see the module's docstring for the rules)."""
    wanted = {column: value for column, value in values.items() if value is not None}
    if account.claimed:
        wanted.pop("email", None)
    changes = {column: value for column, value in wanted.items() if getattr(account, column) != value}
    if "email" in changes:
        changes["email_verified_at"] = None
    return changes


def _membership_changes(appointment: Appointment, membership) -> dict:
    wanted = {"role": appointment.role, "title": appointment.title, "ends_on": appointment.ends_on}
    return {
        column: value
        for column, value in wanted.items()
        if value is not None and getattr(membership, column) != value
    }


def _text(text: str, limit: int, missing: str | None = None) -> str:
    if not text and missing:
        raise CellError(missing)
    if len(text) > limit:
        raise CellError(_("不能超过 %(n)s 个字。", n=limit))
    return text


def _identifier(text: str) -> str:
    if not text:
        raise CellError(_("请填写学号或工号。"))
    if not _IDENTIFIER.fullmatch(text):
        raise CellError(_("学号/工号只能由字母和数字组成，最长 32 位。"))
    return text


def _grade(text: str, kind: AccountKind | None) -> int | None:
    if kind == AccountKind.FACULTY:
        if text:
            raise CellError(_("教职工无需填写年级，请留空。"))
        return None
    if not text:
        if kind == AccountKind.STUDENT:
            raise CellError(_("学生须填写年级，即入学年份，如 2024。"))
        return None
    year = text.removesuffix("级")
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        raise CellError(_("年级应为 2000 到 2100 之间的入学年份，如 2024。"))
    return int(year)


def _phone(text: str) -> str | None:
    if not text:
        return None
    if not _PHONE.fullmatch(text):
        raise CellError(_("手机号应为以 1 开头的 11 位数字。"))
    return text


def _email(text: str) -> str | None:
    if not text:
        return None
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise CellError(_("邮箱格式不正确。")) from None
    if len(text) > 254:
        raise CellError(_("邮箱过长。"))
    return text.lower()


def _date(text: str, required: bool = False) -> date | None:
    if not text:
        if required:
            raise CellError(_("填写了组织时须填写开始日期。"))
        return None
    match = _DATE.fullmatch(text)
    if match is None:
        raise CellError(_("日期格式不正确，请按 2025-09-01 的格式填写。"))
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(_("没有这一天，请检查日期。")) from None
