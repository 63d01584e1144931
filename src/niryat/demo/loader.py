"""The demo: the three programmes of PRODUCT.md, their organisations and one user per role.

Everything is created through services, so the demo has an audit trail like real
data. Loading is idempotent: what exists already (by slug or email) is left as it is.
All names are synthetic; demo accounts can sign in only while demo mode is on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from niryat.accounts.models import Organisation, OrganisationKind, Role, User
from niryat.accounts.services import membership_add, organisation_create, user_create
from niryat.programmes.models import ParticipantRole, Programme
from niryat.programmes.services import participant_add, programme_create
from niryat.registry.duplicates import duplicates_find
from niryat.registry.enrolments import enrolment_add
from niryat.registry.importing.pipeline import run_import
from niryat.registry.importing.services import import_batch_create
from niryat.registry.models import Enterprise

DEMO_PASSWORD = "niryat-demo"
DEMO_DOMAIN = "demo.niryat.test"

K = OrganisationKind
P = ParticipantRole


@dataclass(frozen=True)
class DemoOrg:
    slug: str
    name: str
    name_hi: str
    kind: str


ORGANISATIONS = [
    DemoOrg("gujarat-imd", "Gujarat Industries & Mines Department", "गुजरात उद्योग एवं खान विभाग", K.PROGRAMME_OFFICE),
    DemoOrg("up-epb", "UP Export Promotion Bureau", "उत्तर प्रदेश निर्यात प्रोत्साहन ब्यूरो", K.PROGRAMME_OFFICE),
    DemoOrg("startup-india", "Startup India", "स्टार्टअप इंडिया", K.PROGRAMME_OFFICE),
    DemoOrg("amazon-india", "Amazon India (Global Selling)", "अमेज़न इंडिया (ग्लोबल सेलिंग)", K.MARKETPLACE),
    DemoOrg("walmart-flipkart", "Walmart / Flipkart", "वॉलमार्ट / फ्लिपकार्ट", K.MARKETPLACE),
    DemoOrg("alibaba-com", "Alibaba.com", "अलीबाबा.कॉम", K.MARKETPLACE),
    DemoOrg("setu-exports", "Setu Export Labs (demo startup)", "सेतु एक्सपोर्ट लैब्स (डेमो स्टार्टअप)", K.FACILITATOR),
    DemoOrg("pragati-trade", "Pragati TradeTech (demo startup)", "प्रगति ट्रेडटेक (डेमो स्टार्टअप)", K.FACILITATOR),
    DemoOrg("udyam-bridge", "Udyam Bridge Advisors (demo startup)", "उद्यम ब्रिज एडवाइज़र्स (डेमो स्टार्टअप)", K.FACILITATOR),
    DemoOrg("kaushal-academy", "Kaushal Export Academy (demo)", "कौशल निर्यात अकादमी (डेमो)", K.TRAINER),
    DemoOrg("kashi-weaves", "Kashi Weaves (demo MSME)", "काशी वीव्स (डेमो एमएसएमई)", K.MSME),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    full_name_hi: str
    organisation: str
    role: str = Role.ADMIN
    title: str = ""


USERS = [
    DemoUser(f"office@{DEMO_DOMAIN}", "Meera Desai", "मीरा देसाई", "gujarat-imd", title="programme office"),
    DemoUser(f"office.up@{DEMO_DOMAIN}", "Arvind Mishra", "अरविंद मिश्र", "up-epb", title="programme office (UP)"),
    DemoUser(f"office.startup@{DEMO_DOMAIN}", "Kavita Rao", "कविता राव", "startup-india", title="programme office (Startup India)"),
    DemoUser(f"facilitator@{DEMO_DOMAIN}", "Rohan Verma", "रोहन वर्मा", "setu-exports", title="facilitator"),
    DemoUser(f"msme@{DEMO_DOMAIN}", "Sunita Yadav", "सुनीता यादव", "kashi-weaves", title="MSME owner"),
    DemoUser(f"trainer@{DEMO_DOMAIN}", "Imran Qureshi", "इमरान कुरैशी", "kaushal-academy", title="trainer"),
    DemoUser(f"marketplace@{DEMO_DOMAIN}", "Neha Kapoor", "नेहा कपूर", "amazon-india", title="marketplace partner"),
]


@dataclass(frozen=True)
class DemoProgramme:
    slug: str
    name: str
    name_hi: str
    summary: str
    summary_hi: str
    office: str
    starts_on: date
    state_codes: tuple[int, ...] = ()
    district_codes: tuple[int, ...] = ()
    cluster_slugs: tuple[str, ...] = ()
    sector_slugs: tuple[str, ...] = ()
    participants: tuple[tuple[str, str], ...] = field(default_factory=tuple)


GUJARAT = 24
UP = 9
# UP ODOP districts in the demo (LGD codes): Varanasi (silk), Moradabad (brass), Agra
# (leather), Bhadohi (carpets), Firozabad (glass), Kannauj (attar).
UP_ODOP_DISTRICTS = (187, 171, 118, 179, 143, 155)

PROGRAMMES = [
    DemoProgramme(
        slug="gujarat-amazon-clusters",
        name="Gujarat × Amazon: B2C e-commerce exports from MSME clusters",
        name_hi="गुजरात × अमेज़न: एमएसएमई क्लस्टरों से बी2सी ई-कॉमर्स निर्यात",
        summary="Training sessions, webinars and workshops in five cluster cities; exports to 200+ countries.",
        summary_hi="पाँच क्लस्टर शहरों में प्रशिक्षण सत्र, वेबिनार और कार्यशालाएँ; 200+ देशों को निर्यात।",
        office="gujarat-imd",
        starts_on=date(2026, 4, 1),
        state_codes=(GUJARAT,),
        cluster_slugs=("ahmedabad", "vadodara", "surat", "bharuch", "rajkot"),
        sector_slugs=("textiles-apparel", "gems-jewellery", "handicrafts", "herbal-organic"),
        participants=(("amazon-india", P.MARKETPLACE), ("kaushal-academy", P.TRAINER),
                      ("setu-exports", P.FACILITATOR)),
    ),
    DemoProgramme(
        slug="up-walmart-flipkart-odop",
        name="UP × Walmart/Flipkart: ODOP MSME capacity building",
        name_hi="उत्तर प्रदेश × वॉलमार्ट/फ्लिपकार्ट: ओडीओपी एमएसएमई क्षमता निर्माण",
        summary="Digitise, sell across India on Flipkart, build export capability and join Walmart's global supply chain.",
        summary_hi="व्यवसाय का डिजिटलीकरण, फ्लिपकार्ट पर पूरे भारत में बिक्री, निर्यात क्षमता और वॉलमार्ट की वैश्विक आपूर्ति शृंखला।",
        office="up-epb",
        starts_on=date(2026, 1, 15),
        state_codes=(UP,),
        district_codes=UP_ODOP_DISTRICTS,
        sector_slugs=("textiles-apparel", "handicrafts", "leather", "home-furnishing"),
        participants=(("walmart-flipkart", P.MARKETPLACE), ("kaushal-academy", P.TRAINER),
                      ("pragati-trade", P.FACILITATOR), ("kashi-weaves", P.MSME)),
    ),
    DemoProgramme(
        slug="startup-india-alibaba",
        name="Startup India × Alibaba.com: startups bring MSMEs to global B2B",
        name_hi="स्टार्टअप इंडिया × अलीबाबा.कॉम: स्टार्टअप एमएसएमई को वैश्विक बी2बी तक लाएँ",
        summary="Startups identify export-capable small businesses, train them on Alibaba.com and earn commission.",
        summary_hi="स्टार्टअप निर्यात-सक्षम छोटे व्यवसायों की पहचान करते हैं, उन्हें अलीबाबा.कॉम पर प्रशिक्षित करते हैं और कमीशन कमाते हैं।",
        office="startup-india",
        starts_on=date(2026, 2, 1),
        participants=(("alibaba-com", P.MARKETPLACE), ("setu-exports", P.FACILITATOR),
                      ("pragati-trade", P.FACILITATOR), ("udyam-bridge", P.FACILITATOR)),
    ),
]


@transaction.atomic
def demo_load() -> str:
    """Create what is missing of the demo; returns a one-line summary of what was created."""
    created = {"organisations": 0, "users": 0, "programmes": 0}
    orgs: dict[str, Organisation] = {o.slug: o for o in Organisation.objects.all()}
    for spec in ORGANISATIONS:
        if spec.slug not in orgs:
            orgs[spec.slug] = organisation_create(
                actor=None, slug=spec.slug, name=spec.name, name_hi=spec.name_hi,
                kind=spec.kind, is_demo=True,
            )
            created["organisations"] += 1
    for person in USERS:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = user_create(
                actor=None, email=person.email, full_name=person.full_name,
                full_name_hi=person.full_name_hi, password=DEMO_PASSWORD, is_demo=True,
            )
            membership_add(actor=None, user=user, organisation=orgs[person.organisation],
                           role=person.role)
            created["users"] += 1
    existing = set(Programme.objects.values_list("slug", flat=True))
    for plan in PROGRAMMES:
        if plan.slug in existing:
            continue
        programme = programme_create(
            actor=None, office=orgs[plan.office], slug=plan.slug, name=plan.name,
            name_hi=plan.name_hi, summary=plan.summary, summary_hi=plan.summary_hi,
            starts_on=plan.starts_on, state_codes=plan.state_codes,
            district_codes=plan.district_codes, cluster_slugs=plan.cluster_slugs,
            sector_slugs=plan.sector_slugs,
        )
        for org_slug, role in plan.participants:
            participant_add(actor=None, programme=programme, organisation=orgs[org_slug], role=role)
        created["programmes"] += 1
    summary = "demo: " + ", ".join(f"{count} {name} created" for name, count in created.items())
    return summary + "; " + demo_registry_load()


DEMO_ENTERPRISES = Path(__file__).resolve().parent / "data" / "enterprises.csv"
DEMO_STEWARD = "setu-exports"


def demo_registry_load() -> str:
    """Import the demo facilitator's synthetic MSMEs through the real import, once."""
    steward = Organisation.objects.get(slug=DEMO_STEWARD)
    if Enterprise.objects.filter(steward=steward).exists():
        return "demo registry: already loaded"
    with DEMO_ENTERPRISES.open("rb") as source:
        batch = import_batch_create(actor=None, steward=steward, source=source,
                                    original_name=DEMO_ENTERPRISES.name, programme_slug="startup-india-alibaba")
    batch = run_import(batch.pk, dry_run=False)  # enrols all of them in the Startup India programme
    for enterprise in Enterprise.objects.filter(steward=steward, district__state__gst_code="24"):  # Gujarat
        enrolment_add(actor=None, enterprise=enterprise, programme_slug="gujarat-amazon-clusters")
    duplicates_find()
    return f"demo registry: {batch.new} enterprises imported, {batch.rejected} rejected"
