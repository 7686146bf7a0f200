"""The authorization matrix, generated from the URL resolver: every pattern × role × stage.

Every URL pattern the project serves (its own, allauth's, the admin's, the API's) must have a
row in TABLE, or test_every_url_pattern_has_a_row fails naming it: a new URL gets its row
(one line: its parameters, GET or POST, and the ten answers).

A row: the route (as the resolver prints it) → (how to fill its parameters from the world,
the expected answers). Answers are one code per role, in the order of ROLES:
  200/400/404/405/410/422…  that status
  L    302 to the login page        R   302 anywhere else
  A    302 to the admin's login     ok  anything below 500 but a redirect to a login page
The roles: see ROLES; the world of each stage (build_world) drives the real flow.
A row whose answers differ by stage gives a dict {stage: codes}; "*" stands for the other stages.
Rows that depend on an application are checked at every stage; the others once, on the world
where everything exists (a certificate issued). Pages are asked with GET, POST-only ones with
an empty POST (method "POST"); each request runs in a savepoint rolled back after it, so no
answer depends on what another role's request changed.

The admin decides access itself, the same way for every page it wraps (is_staff and the model
permissions): its wrapped pages are checked with one generated row (ADMIN_WRAPPED).
"""

import re
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic import RedirectView
from viewflow.workflow.models import Task

from certification.domain import (
    applications,
    documents,
    invitations,
    location_proposals,
    organization_changes,
    watching,
    webhooks,
)
from certification.domain.certificates import number_to_slug
from certification.models import DocumentType, LetterTemplate, Notification
from workflows import queries, services

from . import factories, stages
from .mail import run_jobs

pytestmark = pytest.mark.django_db

ROLES = (
    "anon",  # not logged in
    "mem_a",  # member of the applicant organisation (A)
    "mem_b",  # member of another organisation (B)
    "juror",  # active juror, not assigned to the application
    "assigned",  # juror assigned to it (declared impartial from the scoring stage on)
    "recused",  # juror assigned to it who recused
    "j_member",  # active juror who is a member of organisation A
    "chair",  # the jury chair, not assigned
    "officer",
    "super",  # superuser, member of nothing, in no group
)
STAGES = ("draft", "submitted", "corrections", "scoring", "decision", "certified")


@dataclass
class World:
    stage: str
    c: stages.Cast
    users: dict
    app: object
    task: object = None  # the application's open task at this stage (the last one once done)
    doc: object = None
    spare_doc: object = None  # the remove URLs are POSTed with these (rolled back after)
    spare_item: object = None
    cert: object = None
    extra: dict = field(default_factory=dict)


def _draft_world(c) -> object:
    """An incomplete draft (a POST to submit is refused) with documents and items to point at."""
    app = factories.draft_application(user=c.applicant, complete=False)
    statute = DocumentType.objects.get(code="statute")
    for n in range(2):
        applications.add_item(
            application=app, user=c.applicant, name=f"Usługa {n}", kind="service", description="O"
        )
        documents.add_document(
            application=app,
            user=c.applicant,
            document_type=statute,
            uploaded=factories.pdf_upload(f"statut-{n}.pdf"),
        )
    return app


def _scoring(c, recused) -> object:
    app = stages.awaiting_jury(c)
    services.assign_jury(
        task_pk=stages.open_task(app, stages.flow.assign_jury).pk,
        user=c.officer,
        jurors=[*c.jurors, recused],
    )
    task = stages.open_task(app, stages.flow.score, owner=recused)
    services.declare(task_pk=task.pk, user=recused, impartial=False, reason="Znam prezesa.")
    task = stages.open_task(app, stages.flow.score, owner=c.jurors[0])
    services.declare(task_pk=task.pk, user=c.jurors[0], impartial=True)
    return app


def build_world(stage: str) -> World:
    c = stages.cast()
    recused = factories.juror()
    j_member = factories.juror()
    org_b = factories.OrganizationFactory()
    users = {
        "anon": None,
        "mem_a": c.applicant,
        "mem_b": factories.applicant(org_b),
        "juror": factories.juror(),
        "assigned": c.jurors[0],
        "recused": recused,
        "j_member": j_member,
        "chair": c.chair,
        "officer": c.officer,
        "super": factories.UserFactory(is_superuser=True, is_staff=True),
    }
    c.applicant.organizations.first().members.add(j_member)
    task_node = None
    if stage == "draft":
        app = _draft_world(c)
    elif stage == "submitted":
        app, task_node = stages.submitted(c), stages.flow.formal_review
    elif stage == "corrections":
        app, task_node = stages.in_corrections(c), stages.flow.corrections
    else:
        app = _scoring(c, recused)
        task_node = stages.flow.score
        if stage in ("decision", "certified"):
            task = stages.open_task(app, stages.flow.score, owner=c.jurors[0])
            services.score(task_pk=task.pk, user=c.jurors[0], scores=stages.full_scores(app))
            for juror in c.jurors[1:]:
                stages.score_as(app, juror)
            task_node = stages.flow.resolution
        if stage == "decision":  # on the agenda of a coming session: every juror reads it
            agenda_item = stages.on_agenda(c, app)
        if stage == "certified":
            agenda_item = stages.resolve(c, app).agenda_item
            services.issue_certificate(
                task_pk=stages.open_task(app, stages.flow.issue).pk, user=c.officer
            )
            run_jobs()  # the worker makes its PDF, and the minutes of the closed session
            task_node = None
    app.refresh_from_db()
    world = World(stage=stage, c=c, users=users, app=app)
    if task_node == stages.flow.score:
        world.task = stages.open_task(app, stages.flow.score, owner=c.jurors[0])
    elif task_node:
        world.task = stages.open_task(app, task_node)
    elif stage == "certified":
        world.task = stages.tasks_of(app, stages.flow.issue)[0]
    current = [d for d in app.documents.order_by("pk") if d.is_current]
    world.doc, world.spare_doc = current[0], current[-1]
    world.spare_item = app.items.order_by("pk").last()
    world.cert = getattr(app, "certificate", None)
    org = app.organization
    _, world.extra["token"] = invitations.invite_colleague(
        organization=org, email="nowa@example.pl", invited_by=c.applicant
    )
    world.extra["to_cancel"], _ = invitations.invite_colleague(
        organization=org, email="inna@example.pl", invited_by=c.applicant
    )
    watch, world.extra["watch_token"] = watching.subscribe(
        email="kupiec@example.pl", language="pl", kind="holder", nip=org.nip
    )
    world.extra["unsubscribe_token"] = watching.unsubscribe_token(watch)
    world.extra["location_proposal"] = location_proposals.propose_location(
        organization=org, user=c.applicant, latitude="50.26123", longitude="19.00456"
    )
    world.extra["webhook"] = webhooks.register_endpoint(
        name="Platforma", url="https://platforma.example.pl/zp", user=c.officer
    )
    if stage in ("decision", "certified"):
        world.extra["agenda_item"] = agenda_item
    if world.cert:
        world.extra["change_request"] = organization_changes.file_request(
            organization=org, user=c.applicant, name=org.name + " (nowa nazwa)"
        )
        # Reconsideration: a rejection still open to a request, and a request with its file.
        world.extra["window_app"] = stages.formally_rejected(c)
        contested = stages.formally_rejected(c)
        request = stages.request_reconsideration(
            c, contested, attachments=[factories.pdf_upload("uzasadnienie.pdf")]
        )
        world.extra["attachment"] = request.attachments.get()
        # Registered by an officer from paper, for an organisation with no account yet.
        world.extra["paper_app"] = stages.paper_submitted(c)
    return world


# --- the table ------------------------------------------------------------------------------


# How each row fills its route's parameters: name → a function of the world.
def app_pk(w):
    return w.app.pk


def assignment_pk(w):
    """The first juror's assignment (none before scoring: the row is skipped then)."""
    assignment = w.app.assignments.filter(juror=w.c.jurors[0]).first()
    return assignment.pk if assignment else None


def task_pk(w):
    return w.task.pk if w.task else None


def org_pk(w):
    return w.app.organization_id


def doc_pk(w):
    return w.doc.pk


def spare_doc_pk(w):
    return w.spare_doc.pk


def spare_item_pk(w):
    return w.spare_item.pk if w.spare_item else None


def cert_pk(w):
    return w.cert.pk if w.cert else None


def cert_slug(w):
    return number_to_slug(w.cert.number) if w.cert else None


def token(w):
    return w.extra["token"]


def invitation_pk(w):
    return w.extra["to_cancel"].pk


def change_request_pk(w):
    return w.extra["change_request"].pk


def location_proposal_pk(w):
    return w.extra["location_proposal"].pk


def session_pk(w):
    item = w.extra.get("agenda_item")
    return item.session_id if item else None


def agenda_item_pk(w):
    item = w.extra.get("agenda_item")
    return item.pk if item else None


def window_app_pk(w):
    """At the certified stage, an application whose reconsideration window is open."""
    return w.extra.get("window_app", w.app).pk


def paper_app_pk(w):
    return w.extra["paper_app"].pk if "paper_app" in w.extra else None


def attachment_pk(w):
    return w.extra["attachment"].pk if "attachment" in w.extra else None


def letter_pk(w):
    letter = w.app.letters.first()  # the decision's letter, once the jury has decided
    return letter.pk if letter else None


def letter_text_pk(w):
    return LetterTemplate.objects.order_by("pk").first().pk


def watch_token(w):
    return w.extra["watch_token"]


def unsubscribe_token(w):
    return w.extra["unsubscribe_token"]


def webhook_pk(w):
    return w.extra["webhook"].pk


def notification_pk(w):
    """One of the applicant member's (A) notifications: the flow left them several."""
    return Notification.objects.filter(recipient=w.users["mem_a"]).order_by("pk").first().pk


# Rows with any of these parameters are asked at every stage.
APPLICATION_BOUND = {app_pk, task_pk, doc_pk, spare_doc_pk, spare_item_pk, session_pk}

ALL_200 = "200 200 200 200 200 200 200 200 200 200"
ALL_R = "R R R R R R R R R R"
ANON_ONLY = "200 R R R R R R R R R"  # logged-in users are sent on
LOGGED_IN = "L 200 200 200 200 200 200 200 200 200"
LOGGED_IN_R = "L R R R R R R R R R"
MEMBER = "L 200 404 404 404 404 200 404 404 404"  # members of A, jurors among them
MEMBER_R = "L R 404 404 404 404 R 404 404 404"  # the same, sent on (e.g. once submitted)
OFFICER = "L 404 404 404 404 404 404 404 200 404"
STAFF = "L 404 404 200 200 200 200 200 200 404"
NOBODY = "L 404 404 404 404 404 404 404 404 404"
DOCS_SUBMITTED = "L 200 404 404 404 404 200 404 200 404"
DOCS_JUDGED = "L 200 404 404 200 404 200 200 200 404"
FILE_SCORING = "L 404 404 404 200 404 404 404 200 404"
FILE_JUDGED = "L 404 404 404 200 404 404 200 200 404"
# On the agenda of a scheduled session, every member of the jury reads the file (not if recused
# or a member of the applicant organisation).
FILE_ON_AGENDA = "L 404 404 200 200 404 404 200 200 404"
SESSIONS = "L 404 404 404 404 404 404 200 200 404"  # officers, and the chair
SESSIONS_R = "L 404 404 404 404 404 404 R R 404"

# fmt: off
# route: (parameters, method, codes: anon mem_a mem_b juror assigned recused j_member chair officer super)  # noqa: E501
TABLE: dict[str, tuple] = {
    # Public pages and the API: the same for everyone.
    "": ({}, "GET", ALL_200),
    "favicon.ico": ({}, "GET", ALL_R),
    "rejestr/": ({}, "GET", ALL_200),
    "rejestr/dane.csv": ({}, "GET", ALL_200),
    "rejestr/dane.json": ({}, "GET", ALL_200),
    "rejestr/zmiany.atom": ({}, "GET", ALL_200),
    "rejestr/mapa/": ({}, "GET", ALL_200),
    "rejestr/dane.geojson": ({}, "GET", ALL_200),
    "obserwuj/": ({}, "GET", ALL_200),
    "obserwuj/potwierdz/<str:token>/": ({"token": watch_token}, "GET", ALL_200),
    "obserwuj/wypisz/<str:token>/": ({"token": unsubscribe_token}, "GET", ALL_200),
    "rejestr/<slug:slug>/": ({"slug": cert_slug}, "GET", ALL_200),
    "rejestr/<slug:slug>/certyfikat.pdf": ({"slug": cert_slug}, "GET", ALL_200),
    "rejestr/<slug:slug>/wersja-<int:number>.pdf": ({"slug": cert_slug, "number": lambda w: 1}, "GET", ALL_200),  # noqa: E501
    "rejestr/<slug:slug>/odznaka.svg": ({"slug": cert_slug}, "GET", ALL_200),
    "rejestr/<slug:slug>/odznaka/": ({"slug": cert_slug}, "GET", ALL_200),
    "weryfikacja/": ({}, "GET", ALL_200),
    "weryfikacja/<slug:slug>/": ({"slug": cert_slug}, "GET", ALL_200),
    "klucze/certyfikaty.pem": ({}, "GET", ALL_200),
    "klucze/certyfikaty.json": ({}, "GET", ALL_200),
    ".well-known/security.txt": ({}, "GET", ALL_200),
    # Verifiable credentials: the controller document, the status lists, a certificate's own.
    ".well-known/did.json": ({}, "GET", ALL_200),
    "poswiadczenia/status/<str:purpose>/<int:number>.json": ({"purpose": lambda w: "revocation", "number": lambda w: 0}, "GET", ALL_200),  # noqa: E501
    "rejestr/<slug:slug>/poswiadczenie.json": ({"slug": cert_slug}, "GET", ALL_200),
    # Operations: health for the load balancer, metrics for loopback (the test client's address).
    "health/live": ({}, "GET", ALL_200),
    "health/ready": ({}, "GET", ALL_200),
    "metrics": ({}, "GET", ALL_200),
    "api/v1/": ({}, "GET", "404 404 404 404 404 404 404 404 404 404"),
    "api/v1/^": ({}, "GET", "404 404 404 404 404 404 404 404 404 404"),
    "api/v1/openapi.json": ({}, "GET", ALL_200),
    "api/v1/docs": ({}, "GET", ALL_200),
    "api/v1/certificates": ({}, "GET", ALL_200),
    "api/v1/certificates/<path:number>": ({"number": lambda w: w.cert.number}, "GET", ALL_200),
    "api/v1/verify": ({}, "GET", "400 400 400 400 400 400 400 400 400 400"),
    "api/v1/verify/nip": ({}, "GET", "400 400 400 400 400 400 400 400 400 400"),
    "api/v1/cpv-codes": ({}, "GET", ALL_200),
    # Accounts (allauth, at its own English paths and at the Polish ones).
    "i18n/setlang/": ({}, "POST", ALL_R),
    "konto/zaproszenie/<str:token>/": ({"token": token}, "GET", ALL_200),
    "powiadomienia/": ({}, "GET", LOGGED_IN),
    "powiadomienia/<int:pk>/": ({"pk": notification_pk}, "GET", "L R 404 404 404 404 404 404 404 404"),  # noqa: E501
    "powiadomienia/przeczytane/": ({}, "POST", LOGGED_IN_R),
    "powiadomienia/e-maile/": ({}, "POST", "L 400 400 400 400 400 400 400 400 400"),
    "panel/": ({}, "GET", LOGGED_IN_R),
    "konto/login/": ({}, "GET", ANON_ONLY),
    "konto/logowanie/": ({}, "GET", ANON_ONLY),
    "konto/signup/": ({}, "GET", ANON_ONLY),
    "konto/rejestracja/": ({}, "GET", ANON_ONLY),
    "konto/logout/": ({}, "GET", "R 200 200 200 200 200 200 200 200 200"),
    "konto/wylogowanie/": ({}, "GET", "R 200 200 200 200 200 200 200 200 200"),
    "konto/inactive/": ({}, "GET", ALL_200),
    "konto/nieaktywne/": ({}, "GET", ALL_200),
    "konto/reauthenticate/": ({}, "GET", LOGGED_IN_R),
    "konto/potwierdz-haslo/": ({}, "GET", LOGGED_IN),
    "konto/reauthenticate/code/": ({}, "GET", LOGGED_IN_R),
    "konto/reauthenticate/code/confirm/": ({}, "GET", LOGGED_IN_R),
    "konto/login/code/confirm/": ({}, "GET", LOGGED_IN_R),
    "konto/email/": ({}, "GET", LOGGED_IN),
    "konto/adres-email/": ({}, "GET", LOGGED_IN),
    "konto/confirm-email/": ({}, "GET", ALL_200),
    "konto/potwierdzenie-adresu/": ({}, "GET", ALL_200),
    "konto/^confirm-email/(?P<key>[-:\\w]+)/$": ({"key": lambda w: "nie-ma"}, "GET", "404 404 404 404 404 404 404 404 404 404"),  # noqa: E501
    "konto/^potwierdzenie-adresu/(?P<key>[-:\\w]+)/$": ({"key": lambda w: "nie-ma"}, "GET", "404 404 404 404 404 404 404 404 404 404"),  # noqa: E501
    "konto/password/change/": ({}, "GET", LOGGED_IN),
    "konto/haslo/zmiana/": ({}, "GET", LOGGED_IN),
    "konto/password/set/": ({}, "GET", LOGGED_IN_R),
    "konto/haslo/ustawienie/": ({}, "GET", LOGGED_IN_R),
    "konto/password/reset/": ({}, "GET", ALL_200),
    "konto/haslo/reset/": ({}, "GET", ALL_200),
    "konto/password/reset/done/": ({}, "GET", ALL_200),
    "konto/haslo/reset/wyslano/": ({}, "GET", ALL_200),
    "konto/password/reset/key/done/": ({}, "GET", ALL_200),
    "konto/haslo/reset/gotowe/": ({}, "GET", ALL_200),
    "konto/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": ({"uidb36": lambda w: "1", "key": lambda w: "zly"}, "GET", "404 404 404 404 404 404 404 404 404 404"),  # noqa: E501
    "konto/^haslo/reset/klucz/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": ({"uidb36": lambda w: "1", "key": lambda w: "zly"}, "GET", "404 404 404 404 404 404 404 404 404 404"),  # noqa: E501
    # The admin's pages it does not guard itself (the guarded ones: ADMIN_WRAPPED).
    "admin/login/": ({}, "GET", "200 200 200 200 200 200 200 200 200 R"),
    "admin/logout/": ({}, "GET", "R R R R R R R R R 405"),  # to the admin's index; POST only
    "admin/certification/user/<id>/password/": ({"id": lambda w: w.users["mem_a"].pk}, "GET", "A A A A A A A A A 200"),  # noqa: E501
    "admin/certification/lettertemplate/<path:object_id>/preview/": ({"object_id": letter_text_pk}, "GET", "A A A A A A A A A 200"),  # noqa: E501
    # Applicant pages: an organisation's members only.
    "wnioskodawca/": ({}, "GET", LOGGED_IN),
    "wnioskodawca/organizacje/nowa/": ({}, "GET", LOGGED_IN),
    "wnioskodawca/organizacje/<int:pk>/": ({"pk": org_pk}, "GET", MEMBER),
    "wnioskodawca/organizacje/<int:pk>/czlonkowie/": ({"pk": org_pk}, "GET", MEMBER),
    "wnioskodawca/organizacje/<int:pk>/lokalizacja/": ({"pk": org_pk}, "GET", MEMBER),
    "wnioskodawca/organizacje/<int:pk>/zaproszenia/<int:invitation_pk>/anuluj/": ({"pk": org_pk, "invitation_pk": invitation_pk}, "POST", MEMBER_R),  # noqa: E501
    "wnioskodawca/organizacje/<int:organization_pk>/nowy-wniosek/": ({"organization_pk": org_pk}, "POST", MEMBER_R),  # noqa: E501
    "wnioskodawca/certyfikaty/<int:pk>/przedluzenie/": ({"pk": cert_pk}, "POST", MEMBER_R),
    "wnioskodawca/certyfikaty/<int:pk>/rozszerzenie/": ({"pk": cert_pk}, "POST", MEMBER_R),
    "wnioskodawca/certyfikaty/<int:pk>/wycofanie/": ({"pk": cert_pk}, "GET", MEMBER),
    "wnioskodawca/wnioski/<int:pk>/": ({"pk": app_pk}, "GET", {"draft": MEMBER_R, "*": MEMBER}),
    "wnioskodawca/wnioski/<int:pk>/edycja/": ({"pk": app_pk}, "GET", {"draft": MEMBER, "*": MEMBER_R}),  # noqa: E501
    "wnioskodawca/wnioski/<int:pk>/ankieta/": ({"pk": app_pk}, "GET", {"draft": MEMBER, "*": MEMBER_R}),  # noqa: E501
    "wnioskodawca/wnioski/<int:pk>/produkty/": ({"pk": app_pk}, "GET", {"draft": MEMBER, "*": MEMBER_R}),  # noqa: E501
    "wnioskodawca/wnioski/<int:pk>/dokumenty/": ({"pk": app_pk}, "GET", {"draft": MEMBER, "*": MEMBER_R}),  # noqa: E501
    "wnioskodawca/wnioski/<int:pk>/sprawdz/": ({"pk": app_pk}, "GET", {"draft": MEMBER, "*": MEMBER_R}),  # noqa: E501
    "wnioskodawca/wnioski/<int:pk>/produkty/<int:item_pk>/usun/": ({"pk": app_pk, "item_pk": spare_item_pk}, "POST", MEMBER_R),  # noqa: E501
    "wnioskodawca/wnioski/<int:pk>/produkty/<int:item_pk>/zmien/": ({"pk": app_pk, "item_pk": spare_item_pk}, "GET", {"draft": MEMBER, "corrections": MEMBER, "*": MEMBER_R}),  # noqa: E501
    "wnioskodawca/wnioski/<int:pk>/produkty/<int:item_pk>/kody-cpv/": ({"pk": app_pk, "item_pk": spare_item_pk}, "GET", {"draft": MEMBER, "*": MEMBER_R}),  # noqa: E501
    "wnioskodawca/wnioski/<int:pk>/dokumenty/<int:document_pk>/usun/": ({"pk": app_pk, "document_pk": spare_doc_pk}, "POST", MEMBER_R),  # noqa: E501
    "wnioskodawca/wnioski/<int:pk>/wyslij/": ({"pk": app_pk}, "POST", MEMBER_R),
    "wnioskodawca/wnioski/<int:pk>/wyslany/": ({"pk": app_pk}, "GET", {"draft": MEMBER_R, "*": MEMBER}),  # noqa: E501
    "wnioskodawca/wnioski/<int:pk>/poprawki/": ({"pk": app_pk}, "GET", MEMBER_R),
    "wnioskodawca/zadania/<int:task_pk>/poprawki/": ({"task_pk": task_pk}, "GET", {"corrections": MEMBER, "*": NOBODY}),  # noqa: E501
    "wnioskodawca/pisma/<int:pk>/": ({"pk": letter_pk}, "GET", DOCS_JUDGED),
    "wnioskodawca/wnioski/<int:pk>/ponowne-rozpatrzenie/": ({"pk": window_app_pk}, "GET", {"certified": MEMBER, "*": MEMBER_R}),  # noqa: E501
    "wnioskodawca/ponowne-rozpatrzenie/zalaczniki/<int:pk>/": ({"pk": attachment_pk}, "GET", DOCS_SUBMITTED),  # noqa: E501
    "wnioskodawca/dokumenty/<int:pk>/": ({"pk": doc_pk}, "GET", {"draft": MEMBER, "submitted": DOCS_SUBMITTED, "corrections": DOCS_SUBMITTED, "scoring": "L 200 404 404 200 404 200 404 200 404", "decision": "L 200 404 200 200 404 200 200 200 404", "*": DOCS_JUDGED}),  # noqa: E501
    # Staff pages.
    "obsluga/": ({}, "GET", STAFF),
    "obsluga/wnioski/": ({}, "GET", STAFF),
    "obsluga/wnioski/<int:pk>/": ({"pk": app_pk}, "GET", {"draft": NOBODY, "submitted": OFFICER, "corrections": OFFICER, "scoring": FILE_SCORING, "decision": FILE_ON_AGENDA, "*": FILE_JUDGED}),  # noqa: E501
    "obsluga/wnioski/papierowy/": ({}, "GET", OFFICER),
    "obsluga/wnioski/<int:pk>/przekazanie/": ({"pk": paper_app_pk}, "GET", OFFICER),
    "obsluga/wnioski/<int:pk>/termin-poprawek/": ({"pk": app_pk}, "GET", {"draft": NOBODY, "corrections": OFFICER, "*": "L 404 404 404 404 404 404 404 R 404"}),  # noqa: E501
    "obsluga/wnioski/<int:pk>/oceny/<int:assignment_pk>/termin/": ({"pk": app_pk, "assignment_pk": assignment_pk}, "GET", {"scoring": OFFICER, "*": "L 404 404 404 404 404 404 404 R 404"}),  # noqa: E501
    "obsluga/zadania/<int:task_pk>/": ({"task_pk": task_pk}, "GET", {"submitted": OFFICER, "corrections": NOBODY, "scoring": "L 404 404 404 200 404 404 404 404 404", "decision": "L 404 404 404 404 404 404 200 200 404", "certified": "L 404 404 404 R 404 404 R R 404"}),  # noqa: E501
    "obsluga/certyfikaty/": ({}, "GET", OFFICER),
    "obsluga/certyfikaty/<slug:slug>/": ({"slug": cert_slug}, "GET", OFFICER),
    "obsluga/raporty/": ({}, "GET", OFFICER),
    "obsluga/raporty/csv/": ({}, "GET", OFFICER),
    "obsluga/webhooki/": ({}, "GET", OFFICER),
    "obsluga/webhooki/<int:pk>/": ({"pk": webhook_pk}, "GET", OFFICER),
    "obsluga/webhooki/<int:pk>/aktywny/": ({"pk": webhook_pk}, "POST", "L 404 404 404 404 404 404 404 R 404"),  # noqa: E501
    "obsluga/zmiany-danych/": ({}, "GET", OFFICER),
    "obsluga/zmiany-danych/<int:pk>/": ({"pk": change_request_pk}, "GET", OFFICER),
    "obsluga/lokalizacje/": ({}, "GET", OFFICER),
    "obsluga/lokalizacje/<int:pk>/": ({"pk": location_proposal_pk}, "GET", OFFICER),
    # Jury sessions: at "decision" the application is on the agenda of a scheduled session, at
    # "certified" it was decided at a closed one (with its minutes).
    "obsluga/posiedzenia/": ({}, "GET", SESSIONS),
    "obsluga/posiedzenia/<int:pk>/": ({"pk": session_pk}, "GET", SESSIONS),
    "obsluga/posiedzenia/<int:pk>/porzadek/dodaj/": ({"pk": session_pk}, "POST", OFFICER),
    "obsluga/posiedzenia/<int:pk>/porzadek/sprostowanie/": ({"pk": session_pk}, "POST", OFFICER),
    "obsluga/posiedzenia/<int:pk>/porzadek/<int:item_pk>/": ({"pk": session_pk, "item_pk": agenda_item_pk}, "GET", SESSIONS),  # noqa: E501
    "obsluga/posiedzenia/<int:pk>/porzadek/<int:item_pk>/usun/": ({"pk": session_pk, "item_pk": agenda_item_pk}, "POST", "L 404 404 404 404 404 404 404 R 404"),  # noqa: E501
    "obsluga/posiedzenia/<int:pk>/wyslij/": ({"pk": session_pk}, "POST", {"decision": "L 404 404 404 404 404 404 404 R 404", "*": OFFICER}),  # noqa: E501
    "obsluga/posiedzenia/<int:pk>/obecnosc/": ({"pk": session_pk}, "POST", {"decision": SESSIONS_R, "*": SESSIONS}),  # noqa: E501
    "obsluga/posiedzenia/<int:pk>/zamknij/": ({"pk": session_pk}, "POST", SESSIONS),
    "obsluga/posiedzenia/<int:pk>/protokol.pdf": ({"pk": session_pk}, "GET", {"decision": NOBODY, "*": SESSIONS}),  # noqa: E501
    "obsluga/moje-posiedzenia/": ({}, "GET", "L 404 404 200 200 200 200 200 404 404"),
}
# fmt: on

ADMIN_WRAPPED = "A A A A A A A A A ok"


# --- walking the resolver -------------------------------------------------------------------


def url_patterns(resolver=None, prefix=""):
    """(route, pattern) for every URL pattern, depth first, as the resolver tries them."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def admin_wrapped(route: str, pattern) -> bool:
    """A page of the admin that the admin itself guards (AdminSite.admin_view)."""
    callback = pattern.callback
    return route.startswith("admin/") and (
        hasattr(callback, "admin_site")  # AdminSite.get_urls
        or hasattr(callback, "model_admin")  # ModelAdmin.get_urls
        # The old change URLs: they only redirect to the guarded change page.
        or getattr(callback, "view_class", None) is RedirectView
    )


def fill(route: str, values: dict) -> str:
    """The route as a path, its parameters (converters or regex groups) filled in."""
    path = route.replace("^", "").replace("$", "")
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), path)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), path)
    return "/" + path


# Parameters of the admin's own pages: none of these objects need exist.
ADMIN_VALUES = {
    "object_id": "999999",
    "id": "999999",
    "content_type_id": "999999",
    "app_label": "certification",
    "url": "nie-ma/",
}


# --- asking ---------------------------------------------------------------------------------


def answer(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return "A"
        if location.startswith(reverse(settings.LOGIN_URL)):
            return "L"
        return "R"
    return str(response.status_code)


def matches(expected: str, actual: str, status: int) -> bool:
    if expected == "ok":
        return status < 500 and actual not in ("A", "L")
    return expected == actual


def codes_at(codes, stage: str) -> list[str]:
    if isinstance(codes, dict):
        codes = codes.get(stage, codes.get("*"))
    if codes is None:
        return []
    parts = codes.split()
    assert len(parts) == len(ROLES), f"{codes!r}: one code per role {ROLES}"
    return parts


def clients_for(world: World) -> dict:
    clients = {}
    for role, user in world.users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        clients[role] = client
    return clients


def check_row(route, params, method, codes, world, clients, failures):
    values = {name: fn(world) for name, fn in params.items()}
    if any(v is None for v in values.values()):
        return
    url = fill(route, values)
    for role, expected in zip(ROLES, codes_at(codes, world.stage), strict=False):
        client = clients[role]
        # Each request's changes are rolled back, so no role's answer depends on another's.
        with transaction.atomic():
            response = client.post(url) if method == "POST" else client.get(url)
            transaction.set_rollback(True)
        actual = answer(response)
        if not matches(expected, actual, response.status_code):
            failures.append(f"{route} [{world.stage}] {role}: expected {expected}, got {actual}")


def test_every_url_pattern_has_a_row():
    missing = [
        route
        for route, pattern in url_patterns()
        if route not in TABLE and not admin_wrapped(route, pattern)
    ]
    assert not missing, "URL patterns with no row in tests/test_url_matrix.py TABLE:\n" + "\n".join(
        missing
    )
    known = {route for route, _pattern in url_patterns()}
    stale = sorted(set(TABLE) - known)
    assert not stale, f"Rows for URL patterns that no longer exist: {stale}"


@pytest.mark.parametrize("stage", STAGES)
def test_url_matrix(stage):
    world = build_world(stage)
    clients = clients_for(world)
    failures: list[str] = []
    seen = set()
    for route, pattern in url_patterns():
        if route in seen:
            continue
        seen.add(route)
        if route not in TABLE and admin_wrapped(route, pattern):
            if stage == "certified":
                params = {k: (lambda w, v=v: v) for k, v in ADMIN_VALUES.items()}
                check_row(route, params, "GET", ADMIN_WRAPPED, world, clients, failures)
            continue
        if route not in TABLE:
            continue  # test_every_url_pattern_has_a_row names it
        params, method, codes = TABLE[route]
        every_stage = bool(APPLICATION_BOUND & set(params.values())) or isinstance(codes, dict)
        if every_stage or stage == "certified":
            check_row(route, params, method, codes, world, clients, failures)
    assert not failures, f"{len(failures)} answers differ:\n" + "\n".join(failures)


@pytest.mark.parametrize("stage", ["corrections", "scoring", "decision"])
def test_inbox_lists_exactly_the_tasks_each_role_may_open(stage):
    """The inbox's query and the rules that open a task (queries.may_open) agree."""
    world = build_world(stage)
    open_tasks = list(Task.objects.filter(status__in=queries.OPEN))
    for role, user in world.users.items():
        user = user or AnonymousUser()
        listed = set(queries.inbox(user).values_list("pk", flat=True))
        may_open = {task.pk for task in open_tasks if queries.may_open(user, task)}
        assert listed == may_open, role
