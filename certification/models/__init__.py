from .application import Application, ApplicationItem, Defect, Document, DocumentType, FormalReview
from .audit import AuditEvent
from .certificate import (
    STATUS_LIST_SIZE,
    Certificate,
    CertificateStatusChange,
    RenewalReminder,
    StatusList,
)
from .certificate_version import CertificateVersion
from .config import CriteriaVersion, Criterion, SchemeRules
from .cpv import CpvCode, ItemCpvCode
from .identity import IDENTITY_FIELDS, Identity, OrganizationChangeRequest
from .jury import (
    ItemDecision,
    JurorAssignment,
    JuryMember,
    Resolution,
    Score,
    Scorecard,
    ScorecardDraft,
)
from .letters import (
    DecisionLetter,
    LetterTemplate,
    ReconsiderationAttachment,
    ReconsiderationRequest,
)
from .location import LocationProposal
from .notification import Notification
from .organization import Invitation, Membership, Organization, User
from .sessions import AgendaItem, Attendance, JurySession
from .verification_answer import VerificationAnswer
from .watching import Watch, WebhookDelivery, WebhookEndpoint

__all__ = [
    "VerificationAnswer",
    "AgendaItem",
    "Attendance",
    "CriteriaVersion",
    "DecisionLetter",
    "ItemDecision",
    "JurySession",
    "LetterTemplate",
    "ReconsiderationAttachment",
    "ReconsiderationRequest",
    "Application",
    "ApplicationItem",
    "AuditEvent",
    "Certificate",
    "CertificateStatusChange",
    "CertificateVersion",
    "Criterion",
    "CpvCode",
    "ItemCpvCode",
    "Defect",
    "Document",
    "DocumentType",
    "FormalReview",
    "IDENTITY_FIELDS",
    "Identity",
    "Invitation",
    "JurorAssignment",
    "JuryMember",
    "LocationProposal",
    "Membership",
    "Notification",
    "Organization",
    "OrganizationChangeRequest",
    "RenewalReminder",
    "Resolution",
    "SchemeRules",
    "STATUS_LIST_SIZE",
    "StatusList",
    "Score",
    "Scorecard",
    "ScorecardDraft",
    "User",
    "Watch",
    "WebhookDelivery",
    "WebhookEndpoint",
]
