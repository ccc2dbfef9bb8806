"""Imports every area's models so that metadata (and Alembic) sees every table."""

from .accounts.models import User, UserRole  # noqa: F401
from .admin.models import AuditExport  # noqa: F401
from .audit import AuditEntry  # noqa: F401
from .bids.models import Bid, BidAttachment, BidRevision, Recusal  # noqa: F401
from .credits.models import (  # noqa: F401
    CreditAppeal,
    CreditCategory,
    CreditExport,
    CreditHistory,
    CreditRecord,
    CreditRequirement,
    CreditRequirementItem,
    DocumentIssue,
    ShortfallExport,
)
from .disclosure.models import Announcement, CharterVersion, Suggestion  # noqa: F401
from .evaluation.models import FinalScore, ImprovementPlan  # noqa: F401
from .hosting.models import (  # noqa: F401
    CompletionReport,
    Expenditure,
    ParticipantCheckin,
    ParticipantDay,
    Photo,
    ProgressUpdate,
)
from .needs.models import Need, NeedAppeal, NeedComment, NeedPhoto, NeedSupport  # noqa: F401
from .notify.models import DeliveryAttempt, Notification, NotificationPreference, OutboxMessage  # noqa: F401
from .orgs.models import College, Membership, Organization  # noqa: F401
from .projects.models import Criterion, Project, ProjectChange, Question  # noqa: F401
from .review.models import AwardNotice, Objection, PanelSeat, ReviewRound, Score  # noqa: F401
from .roster.models import ImportJob  # noqa: F401
from .school.models import AcademicYear, Term  # noqa: F401
from .settings import Setting  # noqa: F401
from .surveys.models import (  # noqa: F401
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyDimension,
    SurveyInvitation,
    SurveyRating,
    SurveyRespondent,
)
from .volunteers.models import (  # noqa: F401
    Attendance,
    NoShowAppeal,
    Position,
    Shift,
    Signup,
    Training,
    TrainingAttendance,
)
