"""Certificates as W3C Verifiable Credentials (Data Model 2.0), signed with Data Integrity
`eddsa-rdfc-2022` by the registry's Ed25519 keys, with their status in Bitstring Status Lists.

jsonld: the offline JSON-LD processing (contexts from the installed package, never fetched);
proof: the Data Integrity proof; did: the registry's controller document (did:web);
status_lists: the status list credentials; certificate: a certificate's credential;
verify: checking a credential someone presents. docs/security.md says what is signed and how
anyone checks it.
"""
