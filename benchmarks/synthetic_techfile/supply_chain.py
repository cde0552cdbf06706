"""The software supply chain: SOUP lists (IEC 62304), each with a paired `sbom` document and the
CycloneDX 1.5 JSON file it describes.

SOUP items cite two software requirements each; when a SOUP list is edited (a package update)
its SBOM is regenerated in the same commit.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from random import Random
from typing import TYPE_CHECKING, Any

from .device import AS_OF, COMPANY, DEVICE, IEC62304, IEC81001, SOFTWARE_VERSION
from .front_matter import front_matter
from .markup import table, wrap
from .model import Doc

if TYPE_CHECKING:
    from .technical_file import Generator

# (purl type, package name, manufacturer)
PACKAGES: list[tuple[str, str, str]] = [
    ("pypi", "numpy", "NumPy Developers"),
    ("pypi", "scipy", "SciPy Developers"),
    ("pypi", "onnxruntime", "Microsoft Corporation"),
    ("pypi", "fastapi", "Sebastian Ramirez"),
    ("pypi", "pydantic", "Pydantic Services Inc."),
    ("pypi", "uvicorn", "Encode OSS Ltd."),
    ("pypi", "sqlalchemy", "SQLAlchemy authors"),
    ("pypi", "psycopg", "The Psycopg Team"),
    ("pypi", "cryptography", "Python Cryptographic Authority"),
    ("pypi", "fhir.resources", "Md Nazrul Islam"),
    ("pypi", "httpx", "Encode OSS Ltd."),
    ("pypi", "celery", "Celery Project"),
    ("pypi", "redis", "Redis Inc."),
    ("pypi", "boto3", "Amazon Web Services"),
    ("pypi", "pandas", "pandas Development Team"),
    ("pypi", "structlog", "Hynek Schlawack"),
    ("pypi", "jinja2", "Pallets"),
    ("pypi", "weasyprint", "CourtBouillon"),
    ("pypi", "pyjwt", "Jose Padilla"),
    ("pypi", "alembic", "SQLAlchemy authors"),
    ("pypi", "orjson", "ijl"),
    ("pypi", "prometheus-client", "Prometheus authors"),
    ("pypi", "tenacity", "Julien Danjou"),
    ("pypi", "python-dateutil", "dateutil maintainers"),
    ("pypi", "wfdb", "MIT LCP"),
    ("npm", "react", "Meta Platforms"),
    ("npm", "react-dom", "Meta Platforms"),
    ("npm", "axios", "axios contributors"),
    ("npm", "date-fns", "date-fns contributors"),
    ("npm", "chart.js", "Chart.js contributors"),
    ("npm", "zod", "Colin McDonnell"),
    ("npm", "i18next", "i18next contributors"),
    ("npm", "dompurify", "Cure53"),
    ("npm", "react-router", "Remix Software"),
    ("npm", "lodash", "OpenJS Foundation"),
    ("npm", "uuid", "uuid contributors"),
    ("npm", "jose", "Filip Skokan"),
    ("npm", "@tanstack/react-query", "TanStack"),
    ("npm", "d3-scale", "Mike Bostock"),
    ("maven", "com.squareup.okhttp3/okhttp", "Square, Inc."),
    ("maven", "com.squareup.retrofit2/retrofit", "Square, Inc."),
    ("maven", "net.zetetic/sqlcipher-android", "Zetetic LLC"),
    ("maven", "com.google.code.gson/gson", "Google LLC"),
    ("maven", "androidx.room/room-runtime", "Google LLC"),
    ("maven", "org.jetbrains.kotlinx/kotlinx-coroutines-core", "JetBrains s.r.o."),
    ("maven", "com.jakewharton.timber/timber", "Jake Wharton"),
    ("maven", "no.nordicsemi.android/ble", "Nordic Semiconductor ASA"),
    ("swift", "github.com/Alamofire/Alamofire", "Alamofire Software Foundation"),
    ("swift", "github.com/realm/realm-swift", "Realm Inc."),
    ("swift", "github.com/apple/swift-crypto", "Apple Inc."),
    ("swift", "github.com/SnapKit/SnapKit", "SnapKit Team"),
    ("swift", "github.com/kishikawakatsumi/KeychainAccess", "Kishikawa Katsumi"),
    ("golang", "github.com/gin-gonic/gin", "Gin contributors"),
    ("golang", "github.com/jackc/pgx/v5", "Jack Christensen"),
    ("golang", "go.uber.org/zap", "Uber Technologies"),
    ("golang", "github.com/prometheus/client_golang", "Prometheus authors"),
    ("cargo", "serde", "serde-rs"),
    ("cargo", "tokio", "Tokio Contributors"),
    ("cargo", "ring", "Brian Smith"),
]
PURPOSES = [
    "Array handling of ECG samples",
    "Signal filtering and resampling",
    "Model inference",
    "REST API framework",
    "Schema validation",
    "ASGI server",
    "Database access layer",
    "Database driver",
    "Cryptographic verification",
    "FHIR resource models",
    "HTTP client",
    "Background task queue",
    "Caching",
    "Object storage access",
    "Tabular data processing",
    "Structured logging",
    "Report templating",
    "PDF rendering",
    "Token handling",
    "Database migrations",
    "JSON serialisation",
    "Metrics export",
    "Retry handling",
    "Date handling",
    "UI rendering",
    "Charting",
    "Input validation",
    "Localisation",
    "HTML sanitising",
    "Client-side routing",
    "Encrypted local storage",
    "Bluetooth LE stack",
]
SOUP_COLUMNS = [
    "ID",
    "Name",
    "Version",
    "Manufacturer",
    "PURL",
    "Purpose",
    "Requirements",
    "Anomaly review date",
    "Anomaly review source",
    "Anomaly review result",
    "Support level",
    "End of support",
]


# -- building ----------------------------------------------------------------------------------


def build_soup_lists(gen: Generator) -> None:
    """SOUP lists, each with its SBOM document; the two cite each other."""
    for i in range(1, gen.counts["soup-list"] + 1):
        soup = gen.add(
            "soup-list",
            "SOUP",
            i,
            "software/soup",
            f"{gen.module_name().capitalize()} SOUP List",
        )
        soup.data["items"] = new_soup_items(gen)
        sbom = gen.add(
            "sbom",
            "SBOM",
            i,
            "software/sbom",
            f"{soup.title.replace('SOUP List', 'Software Bill of Materials')}",
        )
        sbom.data["file"] = f"{sbom.id.lower()}.cdx.json"
        sbom.data["soup"] = soup
        sbom.references = [soup.id]
        soup.references = [sbom.id]


def new_soup_items(gen: Generator) -> list[dict[str, Any]]:
    """10 to 40 packages, in name order, with versions and the requirements they serve."""
    rng = gen.rng
    srs = gen.by_type["software-requirements"]
    items: list[dict[str, Any]] = []
    for k, (eco, name, maker) in enumerate(sorted(rng.sample(PACKAGES, rng.randint(10, 40))), 1):
        version = f"{rng.randint(0, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 15)}"
        req_doc = rng.choice(srs)
        reqs = [f"{req_doc.id}:{r['id']}" for r in rng.sample(req_doc.data["reqs"], 2)]
        items.append(
            {
                "id": f"S-{k:02d}",
                "name": name,
                "version": version,
                "manufacturer": maker,
                "purl": f"pkg:{eco}/{name}@{version}",
                "purpose": rng.choice(PURPOSES),
                "requirements": ", ".join(reqs),
                "support": rng.choice(["actively maintained", "security fixes only"]),
                "end_of_support": end_of_support(rng),
            }
        )
    return items


def end_of_support(rng: Random) -> str:
    """An announced date for 60 % of the packages."""
    if rng.random() < 0.6:
        return (AS_OF + dt.timedelta(days=rng.randrange(200, 1500))).isoformat()
    return "not announced"


# -- rendering ---------------------------------------------------------------------------------


def soup_row(item: dict[str, Any], review_date: str) -> list[str]:
    return [
        item["id"],
        item["name"],
        item["version"],
        item["manufacturer"],
        item["purl"],
        item["purpose"],
        item["requirements"],
        review_date,
        "GitHub issues and release notes, OSV",
        "No anomalies affecting the device",
        item["support"],
        item["end_of_support"],
    ]


def render_soup_list(gen: Generator, doc: Doc) -> list[str]:
    date = min(doc.approved_on, AS_OF).isoformat()
    rows = [soup_row(i, date) for i in doc.data["items"]]
    fm = front_matter(
        doc,
        [],
        [IEC62304, IEC81001],
        [f"{IEC62304} 5.3.3", f"{IEC62304} 7.1.3", f"{IEC81001} 4.3"],
    )
    body = [
        "",
        f"# {doc.title}",
        "",
        "## 1 Scope",
        "",
        gen.paragraph(2, 4),
        "",
        "## 2 SOUP items",
        "",
        table(SOUP_COLUMNS, rows, "items"),
    ]
    return fm + body


def render_sbom(gen: Generator, doc: Doc) -> list[str]:
    extra = [f"file: {doc.data['file']}", "format: cyclonedx-json"]
    fm = front_matter(doc, extra, [IEC81001], [f"{IEC81001} 4.3"])
    body = [
        "",
        f"# {doc.title}",
        "",
        wrap(
            f"The machine-readable SBOM is [{doc.data['file']}]({doc.data['file']}), in "
            "CycloneDX 1.5 JSON format, generated by the release pipeline from the lock files."
        ),
        "",
        gen.paragraph(2, 4),
    ]
    return fm + body


def sbom_json(gen: Generator, doc: Doc) -> bytes:
    """The CycloneDX file of an `sbom` document: its SOUP list's packages."""
    soup: Doc = doc.data["soup"]
    serial = uuid.UUID(int=Random(f"{gen.seed}-{doc.id}-{doc.version}").getrandbits(128), version=4)
    components = [
        {
            "type": "library",
            "bom-ref": i["purl"],
            "supplier": {"name": i["manufacturer"]},
            "name": i["name"],
            "version": i["version"],
            "purl": i["purl"],
        }
        for i in soup.data["items"]
    ]
    device_ref = f"urn:meridian:{DEVICE.lower()}@{SOFTWARE_VERSION}"
    bom = {
        "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": f"urn:uuid:{serial}",
        "version": 1,
        "metadata": {
            "timestamp": f"{doc.approved_on.isoformat()}T09:00:00Z",
            "component": {
                "type": "application",
                "bom-ref": device_ref,
                "supplier": {"name": COMPANY},
                "name": DEVICE,
                "version": SOFTWARE_VERSION,
            },
            "supplier": {"name": COMPANY},
        },
        "components": components,
        "dependencies": [{"ref": device_ref, "dependsOn": [c["bom-ref"] for c in components]}],
    }
    return (json.dumps(bom, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# -- editing -----------------------------------------------------------------------------------


def edit_soup_list(gen: Generator, doc: Doc, kind: float) -> str | None:
    """A patch update of one package; None leaves the content as it is."""
    if kind >= 0.5:
        return None
    item = gen.rng.choice(doc.data["items"])
    major, minor, patch = item["version"].split(".")
    item["version"] = f"{major}.{minor}.{int(patch) + 1}"
    item["purl"] = item["purl"].rsplit("@", 1)[0] + "@" + item["version"]
    return f"Updated {item['name']} to {item['version']}"
