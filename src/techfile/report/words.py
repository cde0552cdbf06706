"""Wording shared by the HTML and Markdown reports."""

from __future__ import annotations

STATE_WORDS = {"green": "covered", "amber": "partial", "red": "gap", "grey": "n/a"}

ROLE_WORDS = {
    "satisfies": "accepted",
    "pending": "not approved",
    "supporting": "support only",
    "wrong-class": "not product evidence",
    "not-accepted": "class not accepted",
    "unresolved": "not found",
}

ACCEPTABILITY_WORDS = {
    "acceptable": "acceptable",
    "reduce-afap": "reduce as far as possible",
    "unacceptable": "unacceptable",
    "?": "not defined by the plan",
}

FAMILY_TITLES = {
    "evidence": "Evidence",
    "risk": "Risk management",
    "lifecycle": "Secure development lifecycle",
    "supply-chain": "Supply chain",
    "identity": "Identity and traceability",
    "front-matter": "Front-matter and file intake",
    "submission": "Submission readiness",
    "isms": "ISO/IEC 27001 Statement of Applicability",
    "disclosure": "Security disclosure (MDS2)",
    "suppression": "Suppressions",
}

LIMITS = (
    "This report shows classification, structure and traceability: which document is cited "
    "for what, whether the chain from threat to risk row exists, whether references resolve. "
    "It does not judge whether the content is adequate; a green cell or zero findings is not "
    "conformity."
)

HASH_RULE = (
    "sha256 over the input files sorted by path, each hashed as its UTF-8 root-relative path, "
    "a NUL byte, its size as 8 bytes big-endian, then its bytes; the inputs are the Markdown "
    "files techfile loaded, the files their items and SBOM documents name, the configuration "
    "file and the baseline."
)


SIGN_OFF_ROLES = ("Prepared by", "Reviewed by", "Approved by")


def count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"
