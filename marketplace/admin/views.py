"""Administration pages (系统管理): users, organizations, colleges, the school calendar, credit
categories, settings and the audit log. Each view checks its permission, parses a form, calls one
operation, commits, then redirects or re-renders."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import clock, permissions, settings
from .. import exports as export_jobs
from ..accounts import operations as accounts_ops
from ..accounts.models import User
from ..credits import documents, requirements
from ..credits import operations as credits_ops
from ..credits.models import CreditCategory, CreditRequirement
from ..downloads import send_download
from ..extensions import db
from ..formatting import local_date
from ..forms import ActionForm, Form, attempt, flash_refusal
from ..orgs import operations as orgs_ops
from ..orgs.models import College, Membership, Organization
from ..school import operations as school_ops
from ..school.models import AcademicYear, Term
from . import export, operations, queries
from .forms import (
    AppointForm,
    AuditFilter,
    CategoryForm,
    CollegeForm,
    EndMembershipForm,
    OrgFilter,
    OrgForm,
    StampForm,
    TermForm,
    UserFilter,
    UserForm,
    YearForm,
    requirement_form,
    settings_form,
)
from .models import AuditExport

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 30


@bp.before_request
@login_required
def _signed_in_only():
    pass


@dataclass(frozen=True)
class Section:
    endpoint: str
    label: object
    action: str
    prefixes: tuple[str, ...]  # the endpoints that belong to the section, for the active tab
    icon: str = ""
    text: object = ""  # what the dashboard says it is for


SECTIONS = [
    Section("admin.index", _l("概览"), "admin.access", ("admin.index",)),
    Section(
        "admin.users",
        _l("用户"),
        "user.manage",
        ("admin.user",),
        "bi-people",
        _l("学生和教职工账号、系统角色、停用账号"),
    ),
    Section(
        "roster.index",
        _l("名册导入"),
        "roster.import",
        ("roster.",),
        "bi-file-earmark-spreadsheet",
        _l("批量导入学生名册，先检查再写入"),
    ),
    Section(
        "admin.orgs",
        _l("组织"),
        "org.manage",
        ("admin.org", "admin.membership"),
        "bi-diagram-3",
        _l("学生会、社团、班级及其负责人和成员"),
    ),
    Section(
        "admin.colleges", _l("学院"), "org.manage", ("admin.college",), "bi-building", _l("学院名称和代码")
    ),
    Section(
        "admin.calendar",
        _l("校历"),
        "calendar.edit",
        ("admin.calendar", "admin.year", "admin.term"),
        "bi-calendar3",
        _l("学年和学期：学分按学期归档"),
    ),
    Section(
        "admin.categories",
        _l("学分类别"),
        "credit_categories.edit",
        ("admin.categor",),
        "bi-award",
        _l("第二课堂学分的类别、代码和学时折算规则"),
    ),
    Section(
        "admin.requirements",
        _l("达标要求"),
        "credit_requirements.edit",
        ("admin.requirement",),
        "bi-clipboard-check",
        _l("各年级第二课堂学分的总要求和分类最低要求"),
    ),
    Section(
        "admin.site_settings",
        _l("系统设置"),
        "settings.edit",
        ("admin.site_settings",),
        "bi-sliders",
        _l("注册方式、审核规则、竞标参数、学生会章程"),
    ),
    Section(
        "admin.audit_log",
        _l("操作日志"),
        "audit.read",
        ("admin.audit_log",),
        "bi-journal-text",
        _l("谁在什么时候做了什么"),
    ),
]


def admin_sections() -> list[Section]:
    """The sections of 系统管理 the signed-in user may open. The roster import is another area's
    blueprint: where it is not registered, its section is left out rather than breaking the pages."""
    return [
        s
        for s in SECTIONS
        if s.endpoint in current_app.view_functions and permissions.can(current_user, s.action)
    ]


@bp.app_context_processor
def _admin_helpers():
    # App-wide: other areas' admin pages (the roster import) include the same navigation.
    return {"admin_sections": admin_sections}


def requires(action: str):
    """The view answers 403 unless the signed-in user may do ``action``."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            permissions.require(current_user, action)
            return view(*args, **kwargs)

        return guarded

    return decorate


def _edit_page(form: Form, title: str, back: str):
    return render_template("admin/edit.html", form=form, title=title, back=back), form.status_code


# -- dashboard -------------------------------------------------------------------------------------


@bp.get("/")
@requires("admin.access")
def index():
    return render_template("admin/index.html", counts=queries.dashboard_counts())


# -- users -----------------------------------------------------------------------------------------


@bp.get("/users")
@requires("user.manage")
def users():
    filters = UserFilter(formdata=request.args)
    page = db.paginate(queries.users(**filters.values()), per_page=PER_PAGE, error_out=False)
    return render_template("admin/users.html", page=page, filters=filters)


@bp.get("/users/<int:user_id>")
@requires("user.manage")
def user(user_id: int):
    account = db.get_or_404(
        User, user_id, options=[selectinload(User.memberships).joinedload(Membership.org)]
    )
    about = queries.filter_audit(
        queries.visible_audit_entries(current_user), subject_type="user", subject_id=str(account.id)
    )
    return render_template(
        "admin/user.html",
        account=account,
        memberships=sorted(account.memberships, key=lambda m: m.starts_on, reverse=True),
        rows=queries.audit_rows(db.session.scalars(about.limit(20)).all(), current_user),
        today=clock.today_local(),
    )


def _save_account(form: UserForm, account: User) -> bool:
    return attempt(form, lambda: accounts_ops.save_account(current_user, account, form.to_data()))


@bp.route("/users/new", methods=["GET", "POST"])
@requires("user.manage")
def user_new():
    form, account = UserForm(), User()
    if _save_account(form, account):
        flash(_("已创建账号：%(name)s。", name=account.name), "success")
        return redirect(url_for(".user", user_id=account.id))
    return _edit_page(form, _("新建账号"), url_for(".users"))


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@requires("user.manage")
def user_edit(user_id: int):
    account = db.get_or_404(User, user_id)
    form = UserForm(obj=account, roles=sorted(account.role_names))
    if _save_account(form, account):
        flash(_("账号信息已保存。"), "success")
        return redirect(url_for(".user", user_id=account.id))
    return _edit_page(form, _("编辑账号：%(name)s", name=account.name), url_for(".user", user_id=user_id))


# -- organizations and memberships -----------------------------------------------------------------


@bp.get("/orgs")
@requires("org.manage")
def orgs():
    filters = OrgFilter(formdata=request.args)
    page = db.paginate(queries.organizations(**filters.values()), per_page=PER_PAGE, error_out=False)
    return render_template("admin/orgs.html", page=page, filters=filters)


def _org_page(org: Organization, *, appoint: AppointForm | None = None, ending: tuple | None = None):
    """The organization page; ``ending`` is (membership id, its refused form) to show beside that row."""
    today = clock.today_local()
    current, past = queries.org_memberships(org, today)
    return render_template(
        "admin/org.html",
        org=org,
        current=current,
        past=db.paginate(past, per_page=PER_PAGE, error_out=False),
        appoint=appoint or AppointForm(formdata=None),
        ending=ending or (None, EndMembershipForm(formdata=None)),
        today=today,
    )


@bp.get("/orgs/<int:org_id>")
@requires("org.manage")
def org(org_id: int):
    return _org_page(db.get_or_404(Organization, org_id))


def _save_org(form: OrgForm, org: Organization) -> bool:
    return attempt(form, lambda: orgs_ops.save_org(current_user, org, form.to_data()))


@bp.route("/orgs/new", methods=["GET", "POST"])
@requires("org.manage")
def org_new():
    form, new = OrgForm(), Organization()
    if _save_org(form, new):
        flash(_("已创建组织：%(name)s。", name=new.name), "success")
        return redirect(url_for(".org", org_id=new.id))
    return _edit_page(form, _("新建组织"), url_for(".orgs"))


@bp.route("/orgs/<int:org_id>/edit", methods=["GET", "POST"])
@requires("org.manage")
def org_edit(org_id: int):
    existing = db.get_or_404(Organization, org_id)
    form = OrgForm(obj=existing)
    if _save_org(form, existing):
        flash(_("组织信息已保存。"), "success")
        return redirect(url_for(".org", org_id=org_id))
    return _edit_page(form, _("编辑组织：%(name)s", name=existing.name), url_for(".org", org_id=org_id))


@bp.post("/orgs/<int:org_id>/members")
@requires("org.manage")
def org_appoint(org_id: int):
    target = db.get_or_404(Organization, org_id)
    form = AppointForm()
    if attempt(form, lambda: orgs_ops.appoint(current_user, target, form.to_data())):
        flash(_("任职已添加。"), "success")
        return redirect(url_for(".org", org_id=org_id))
    return _org_page(target, appoint=form), form.status_code


@bp.post("/memberships/<int:membership_id>/end")
@requires("org.manage")
def membership_end(membership_id: int):
    membership = db.get_or_404(Membership, membership_id)
    form = EndMembershipForm()
    if attempt(form, lambda: orgs_ops.end_membership(current_user, membership, form.to_data())):
        flash(_("已结束%(name)s的任职。", name=membership.user.name), "success")
        return redirect(url_for(".org", org_id=membership.org_id))
    return _org_page(membership.org, ending=(membership.id, form)), form.status_code


# -- colleges --------------------------------------------------------------------------------------


@bp.get("/colleges")
@requires("org.manage")
def colleges():
    page = db.paginate(select(College).order_by(College.name), per_page=PER_PAGE, error_out=False)
    return render_template("admin/colleges.html", page=page)


def _save_college(form: CollegeForm, college: College) -> bool:
    return attempt(form, lambda: orgs_ops.save_college(current_user, college, form.to_data()))


@bp.route("/colleges/new", methods=["GET", "POST"])
@requires("org.manage")
def college_new():
    form = CollegeForm()
    if _save_college(form, College()):
        flash(_("学院已添加。"), "success")
        return redirect(url_for(".colleges"))
    return _edit_page(form, _("添加学院"), url_for(".colleges"))


@bp.route("/colleges/<int:college_id>/edit", methods=["GET", "POST"])
@requires("org.manage")
def college_edit(college_id: int):
    college = db.get_or_404(College, college_id)
    form = CollegeForm(obj=college)
    if _save_college(form, college):
        flash(_("学院信息已保存。"), "success")
        return redirect(url_for(".colleges"))
    return _edit_page(form, _("编辑学院：%(name)s", name=college.name), url_for(".colleges"))


# -- school calendar -------------------------------------------------------------------------------


@bp.get("/calendar")
@requires("calendar.edit")
def calendar():
    page = db.paginate(queries.calendar(), per_page=10, error_out=False)
    return render_template("admin/calendar.html", page=page, today=clock.today_local())


def _save_year(form: YearForm, year: AcademicYear) -> bool:
    return attempt(form, lambda: school_ops.save_year(current_user, year, form.to_data()))


def _save_term(form: TermForm, term: Term, year: AcademicYear) -> bool:
    return attempt(form, lambda: school_ops.save_term(current_user, term, year, form.to_data()))


@bp.route("/calendar/years/new", methods=["GET", "POST"])
@requires("calendar.edit")
def year_new():
    form = YearForm()
    if _save_year(form, AcademicYear()):
        flash(_("学年已添加。"), "success")
        return redirect(url_for(".calendar"))
    return _edit_page(form, _("添加学年"), url_for(".calendar"))


@bp.route("/calendar/years/<int:year_id>/edit", methods=["GET", "POST"])
@requires("calendar.edit")
def year_edit(year_id: int):
    year = db.get_or_404(AcademicYear, year_id)
    form = YearForm(obj=year)
    if _save_year(form, year):
        flash(_("学年已保存。"), "success")
        return redirect(url_for(".calendar"))
    return _edit_page(form, _("编辑学年：%(name)s", name=year.name), url_for(".calendar"))


def _delete(operation: Callable[[], object], done: str):
    """A delete button: do it and say so, or say why not; back to the calendar either way."""
    form = ActionForm()
    if attempt(form, operation):
        flash(done, "success")
    flash_refusal(form)
    return redirect(url_for(".calendar"))


@bp.post("/calendar/years/<int:year_id>/delete")
@requires("calendar.edit")
def year_delete(year_id: int):
    year = db.get_or_404(AcademicYear, year_id)
    return _delete(lambda: school_ops.delete_year(current_user, year), _("学年已删除。"))


@bp.route("/calendar/years/<int:year_id>/terms/new", methods=["GET", "POST"])
@requires("calendar.edit")
def term_new(year_id: int):
    year = db.get_or_404(AcademicYear, year_id)
    form = TermForm()
    if _save_term(form, Term(), year):
        flash(_("学期已添加。"), "success")
        return redirect(url_for(".calendar"))
    return _edit_page(form, _("为%(year)s添加学期", year=year.name), url_for(".calendar"))


@bp.route("/calendar/terms/<int:term_id>/edit", methods=["GET", "POST"])
@requires("calendar.edit")
def term_edit(term_id: int):
    term = db.get_or_404(Term, term_id)
    form = TermForm(obj=term)
    if _save_term(form, term, term.year):
        flash(_("学期已保存。"), "success")
        return redirect(url_for(".calendar"))
    return _edit_page(form, _("编辑学期：%(name)s", name=term.full_name), url_for(".calendar"))


@bp.post("/calendar/terms/<int:term_id>/delete")
@requires("calendar.edit")
def term_delete(term_id: int):
    term = db.get_or_404(Term, term_id)
    return _delete(lambda: school_ops.delete_term(current_user, term), _("学期已删除。"))


# -- credit categories -----------------------------------------------------------------------------


@bp.get("/credit-categories")
@requires("credit_categories.edit")
def categories():
    stmt = select(CreditCategory).order_by(CreditCategory.position, CreditCategory.name)
    page = db.paginate(stmt, per_page=PER_PAGE, error_out=False)
    return render_template("admin/categories.html", page=page)


def _save_category(form: CategoryForm, category: CreditCategory) -> bool:
    return attempt(form, lambda: credits_ops.save_category(current_user, category, form.to_data()))


@bp.route("/credit-categories/new", methods=["GET", "POST"])
@requires("credit_categories.edit")
def category_new():
    form = CategoryForm()
    if _save_category(form, CreditCategory()):
        flash(_("学分类别已添加。"), "success")
        return redirect(url_for(".categories"))
    return _edit_page(form, _("添加学分类别"), url_for(".categories"))


@bp.route("/credit-categories/<int:category_id>/edit", methods=["GET", "POST"])
@requires("credit_categories.edit")
def category_edit(category_id: int):
    category = db.get_or_404(CreditCategory, category_id)
    form = CategoryForm(obj=category)
    if _save_category(form, category):
        flash(_("学分类别已保存。"), "success")
        return redirect(url_for(".categories"))
    return _edit_page(form, _("编辑学分类别：%(name)s", name=category.name), url_for(".categories"))


# -- second-classroom requirements ------------------------------------------------------------------


@bp.get("/credit-requirements")
@requires("credit_requirements.edit")
def requirements_page():
    return render_template("admin/requirements.html", requirements=requirements.requirements())


def _requirement_page(requirement: CreditRequirement, title: str):
    categories = requirements.active_categories()
    values = requirements.form_values(requirement) if requirement.id else None
    form = requirement_form(categories, values)
    if attempt(form, lambda: requirements.save_requirement(current_user, requirement, form.to_data())):
        flash(_("达标要求已保存。"), "success")
        return redirect(url_for(".requirements_page"))
    return _edit_page(form, title, url_for(".requirements_page"))


@bp.route("/credit-requirements/new", methods=["GET", "POST"])
@requires("credit_requirements.edit")
def requirement_new():
    return _requirement_page(CreditRequirement(), _("添加达标要求"))


@bp.route("/credit-requirements/<int:requirement_id>/edit", methods=["GET", "POST"])
@requires("credit_requirements.edit")
def requirement_edit(requirement_id: int):
    requirement = db.get_or_404(CreditRequirement, requirement_id)
    return _requirement_page(requirement, _("编辑达标要求：%(grade)s 级", grade=requirement.grade))


# -- settings --------------------------------------------------------------------------------------


def _settings_page(form: Form, stamp: StampForm):
    page = render_template(
        "admin/settings.html",
        form=form,
        stamp=stamp,
        has_stamp=documents.has_stamp(),
        title=_("系统设置"),
        back=url_for(".index"),
    )
    return page, max(form.status_code, stamp.status_code)


@bp.route("/settings", methods=["GET", "POST"])
@requires("settings.edit")
def site_settings():
    form = settings_form(settings.all_values())
    if attempt(form, lambda: operations.save_settings(current_user, form.to_data())):
        flash(_("设置已保存。"), "success")
        return redirect(url_for(".site_settings"))
    return _settings_page(form, StampForm(formdata=None))


@bp.post("/settings/stamp")
@requires("settings.edit")
def stamp_upload():
    """The stamp image printed on issued documents (印章图片)."""
    stamp = StampForm()
    if attempt(stamp, lambda: documents.save_stamp(current_user, stamp.to_data())):
        flash(_("印章图片已保存，此后出具的文件都会印上它。"), "success")
        return redirect(url_for(".site_settings"))
    return _settings_page(settings_form(settings.all_values()), stamp)


@bp.post("/settings/stamp/remove")
@requires("settings.edit")
def stamp_remove():
    form = ActionForm()
    if attempt(form, lambda: documents.remove_stamp(current_user)):
        flash(_("印章图片已删除。"), "success")
    return redirect(url_for(".site_settings"))


# -- audit log -------------------------------------------------------------------------------------


@bp.get("/audit")
@requires("audit.read")
def audit_log():
    filters = AuditFilter(formdata=request.args)
    stmt = queries.filter_audit(queries.visible_audit_entries(current_user), **filters.values())
    page = queries.audit_page(stmt)
    rows = queries.audit_rows(page.items, current_user)
    return render_template(
        "admin/audit.html", page=page, rows=rows, filters=filters, export_form=ActionForm()
    )


@bp.post("/audit/export")
@requires("audit.read")
def audit_export_start():
    """The CSV of the entries the page lists under the filters in the query string: the file itself
    when short, else the background job's page."""
    filters, form = AuditFilter(formdata=request.args), ActionForm()
    if outcome := attempt(form, lambda: export.request_export(current_user, filters.values())):
        if isinstance(outcome.result, AuditExport):
            export.run_audit_export(outcome.result.id)  # after the commit, so that the worker finds the job
            return redirect(outcome.result.url)
        return _audit_csv(io.BytesIO(outcome.result), clock.today_local())
    flash_refusal(form)
    return redirect(url_for(".audit_log", **request.args))


def _audit_csv(source, day) -> Response:
    """The CSV, written just now (a buffer) or by a job, named by its day."""
    named = {"name": f"操作日志-{day}.csv", "fallback": f"audit-log-{day}.csv", "mimetype": "text/csv"}
    if isinstance(source, AuditExport):
        return export_jobs.send(source, **named)
    return send_download(source, **named)


def _audit_export_or_404(public_id: str) -> AuditExport:
    job = export.job_of(current_user, public_id)
    if job is None:
        abort(404)
    return job


@bp.get("/audit/exports/<public_id>")
@requires("audit.read")
def audit_export(public_id: str):
    return render_template("admin/audit_export.html", job=_audit_export_or_404(public_id))


@bp.get("/audit/exports/<public_id>/status")
@requires("audit.read")
def audit_export_status(public_id: str):
    return jsonify(_audit_export_or_404(public_id).progress())


@bp.get("/audit/exports/<public_id>/download")
@requires("audit.read")
def audit_export_download(public_id: str):
    job = _audit_export_or_404(public_id)
    return _audit_csv(job, local_date(job.created_at))
