from .application import Application, ApplicationItem, Defect, Document, DocumentType, FormalReview
from .audit import AuditEvent
from .certificate import Certificate, CertificateStatusChange, RenewalReminder
from .config import Criterion, SchemeRules
from .identity import IDENTITY_FIELDS, Identity, OrganizationChangeRequest
from .jury import JurorAssignment, JuryMember, Resolution, Score, Scorecard
from .organization import Invitation, Membership, Organization, User

__all__ = [
    "Application",
    "ApplicationItem",
    "AuditEvent",
    "Certificate",
    "CertificateStatusChange",
    "Criterion",
    "Defect",
    "Document",
    "DocumentType",
    "FormalReview",
    "IDENTITY_FIELDS",
    "Identity",
    "Invitation",
    "JurorAssignment",
    "JuryMember",
    "Membership",
    "Organization",
    "OrganizationChangeRequest",
    "RenewalReminder",
    "Resolution",
    "SchemeRules",
    "Score",
    "Scorecard",
    "User",
]
