"""The synthetic EU MDR technical file that benchmarks/generate.py writes, one module per concern.

- `device`: the fictional manufacturer, device, people, standards and the fixed dates;
- `markup`: YAML scalars and Markdown tables as the documents write them; `front_matter`: the
  front-matter every document starts with;
- `prose`: the vocabulary and the sentences of procedures and plans;
- `model`: the document record and the document mix (`plan_counts`);
- `technical_file`: the `Generator`, which holds the random state and the documents;
- one module per document family, each building its documents, rendering them and editing them:
  `regulatory` (device description, GSPR checklist, conformity matrices), `plans` (risk
  management plan and the EN IEC 81001-5-1 life-cycle documents), `risk` (risk analyses),
  `requirements_and_tests`, `security` (threat models and security risk assessments),
  `it_security_requirements`, `supply_chain` (SOUP lists, SBOM documents and CycloneDX
  files) and `qms` (procedures);
- `assembly`: the order in which the families are built, and the references between them;
- `rendering` and `editing`: the dispatch from a document type to its family;
- `dangling`: the opt-in variant that cites ids which resolve to nothing;
- `repository`: the git history, written with one `git fast-import` stream.
"""
