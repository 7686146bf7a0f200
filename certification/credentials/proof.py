"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C "Data Integrity EdDSA
Cryptosuites v1.0", section 3.3): RDFC-1.0 canonical forms of the document and of the proof's
options, hashed with SHA-256, the two hashes (options first) signed with Ed25519.
"""

import hashlib

import base58
from cryptography.exceptions import InvalidSignature

from .. import signing_keys
from . import did
from .jsonld import canonical_nquads

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"
SIGNATURE_LENGTH = 64


class ProofError(ValueError):
    """The proof is missing, malformed, by a key the registry does not publish, or false."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code


def _hash_data(unsecured: dict, options: dict) -> bytes:
    config = {"@context": unsecured.get("@context"), **options}
    config_hash = hashlib.sha256(canonical_nquads(config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonical_nquads(unsecured).encode("utf-8")).digest()
    return config_hash + document_hash


def sign(document: dict) -> dict:
    """`document` with a proof by the current signing key (a new dict; the input is kept)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    key = signing_keys.private_key()
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "verificationMethod": did.verification_method_id(signing_keys.key_id_of(key.public_key())),
        "proofPurpose": PROOF_PURPOSE,
    }
    signature = key.sign(_hash_data(unsecured, options))
    proof = {**options, "proofValue": "z" + base58.b58encode(signature).decode("ascii")}
    return {**unsecured, "proof": proof}


def verify(document: dict) -> str:
    """The id of the published key whose proof `document` carries; ProofError otherwise.

    Raises CanonicalizationError when the document is not JSON-LD that can be canonicalized.
    """
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise ProofError("no_proof", "The credential has no proof, or more than one.")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(
            "unsupported_proof", f"The proof is not a {PROOF_TYPE} of the {CRYPTOSUITE} suite."
        )
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        raise ProofError("wrong_proof_purpose", f"The proof's purpose is not {PROOF_PURPOSE}.")
    key_id = did.key_id_of(proof.get("verificationMethod"))
    keys = {key.key_id: key for key in signing_keys.public_keys()}
    if key_id not in keys:
        raise ProofError(
            "unknown_key", "The proof names a key that this registry does not publish."
        )
    value = proof.get("proofValue")
    signature = b""
    if isinstance(value, str) and value.startswith("z") and len(value) < 120:
        try:
            signature = base58.b58decode(value[1:])
        except ValueError:
            signature = b""
    if len(signature) != SIGNATURE_LENGTH:
        raise ProofError("malformed_proof", "The proof value is not an Ed25519 signature.")
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    try:
        keys[key_id].key.verify(signature, _hash_data(unsecured, options))
    except InvalidSignature:
        raise ProofError(
            "invalid_signature",
            "The signature does not match the credential: it was altered after signing, or "
            "not signed by this registry.",
        ) from None
    return key_id
