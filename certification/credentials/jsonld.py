"""JSON-LD canonicalization (RDFC-1.0) with contexts that are never fetched.

pyld's URDNA2015 is the algorithm RDFC-1.0 standardised; the two differ only in how a literal
with control characters is escaped in the canonical N-Quads, and the credentials the registry
issues carry none (certificate.py replaces them). The only context a credential may name is
the VC 2.0 one, read from the copy pyld ships (the same bytes as the reference implementation's,
tests/test_vc_contexts.py); any other URL is refused, not fetched.
"""

from pyld import jsonld
from pyld.documentloader.frozen import BUNDLED_CONTEXTS, FrozenDocumentLoader

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"

_loader = FrozenDocumentLoader(documents={CREDENTIALS_V2: BUNDLED_CONTEXTS[CREDENTIALS_V2]})


class CanonicalizationError(ValueError):
    """The document is not JSON-LD this registry can canonicalize (names an unknown context,
    has an invalid term definition, ...)."""


def _reasons(error: BaseException) -> str:
    """pyld wraps the cause ("could not convert…") around the reason ("refusing to load…")."""
    texts = []
    while error is not None and len(texts) < 10:
        texts.append(str(error.args[0]) if error.args else type(error).__name__)
        error = error.__cause__
    return ": ".join(texts)


def canonical_nquads(document: dict) -> str:
    """The RDFC-1.0 canonical N-Quads of `document` (a JSON-LD object)."""
    try:
        return jsonld.normalize(
            document,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": _loader,
                "base": None,  # relative IRIs stay unresolved (and so make no statement)
            },
        )
    except jsonld.JsonLdError as error:
        raise CanonicalizationError(_reasons(error)) from error
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
        # pyld's own checks do not cover every shape of input JSON.
        raise CanonicalizationError(f"{type(error).__name__}: {error}") from error
