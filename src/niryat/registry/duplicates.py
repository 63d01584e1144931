"""Finding enterprises entered twice, and merging them.

Candidates come from blocks that real duplicates share — the same mobile number or PAN, or
the same district and first name word (first two words where the first is too common) — so
the work grows with the block sizes, not with the square of the registry. Within a block,
names are compared after ``name_key`` (transliteration, legal words dropped) by word overlap
and character similarity.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher
from itertools import combinations
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from niryat.audit.services import record
from niryat.core.db import column_in
from niryat.core.jobs import job_create
from niryat.core.models import Job
from niryat.registry.models import Contact, DuplicateCandidate, Enrolment, Enterprise
from niryat.registry.services import (
    ENTERPRISE_FIELDS,
    RegistryError,
    search_columns_set,
)

THRESHOLD = 70
MAX_BLOCK = 200  # a block larger than this (a common word) is not compared pairwise
LOAD_CHUNK = 5000
# The first word and the first two words of a name key (the whole key when it has fewer), as
# the database computes them from ``space`` and ``next_space``: the position of the first space,
# and of the next one counted from the first (0: none).
FIRST_WORD = Case(When(space=0, then=F("name_key")), default=Substr("name_key", 1, F("space") - 1))
FIRST_TWO_WORDS = Case(
    When(space=0, then=F("name_key")),
    When(next_space=0, then=F("name_key")),
    default=Substr("name_key", 1, F("space") + F("next_space") - 1),
)


def name_similarity(a: str, b: str) -> int:
    """0–100: how alike two name keys are (word overlap and spelling).

    Names whose numbers differ ("Kashi Weavers Unit 1" and "… Unit 2") are different
    businesses however alike the rest is: 0.
    """
    if not a or not b:
        return 0
    words_a, words_b = set(a.split()), set(b.split())
    numbers_a = {word for word in words_a if word.isdigit()}
    numbers_b = {word for word in words_b if word.isdigit()}
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return 0
    overlap = len(words_a & words_b) / len(words_a | words_b)
    spelling = SequenceMatcher(None, a, b).ratio()
    return round(100 * max(overlap, spelling))


def score_pair(a: dict[str, Any], b: dict[str, Any]) -> tuple[int, list[str]]:
    reasons = []
    similarity = name_similarity(a["name_key"], b["name_key"])
    score = similarity
    if a["mobile"] and a["mobile"] == b["mobile"]:
        reasons.append("same_mobile")
        score += 20
    if a["district_id"] and a["district_id"] == b["district_id"]:
        reasons.append("same_district")
        score += 10
    if a["pan"] and a["pan"] == b["pan"]:
        reasons.append("same_pan")
        score += 30
    if similarity >= 60:
        reasons.append("similar_name")
    return min(score, 100), reasons


def _small_blocks(live: QuerySet[Enterprise]) -> dict[tuple[Any, ...], list[int]]:
    """The blocks with 2 to MAX_BLOCK members, block key → enterprise ids: the only ones compared.

    Counted by the database (window counts over each block key), so a million-row registry
    is not read into memory to find the few thousand rows that can have a duplicate.
    """
    between = {"n__gte": 2, "n__lte": MAX_BLOCK}
    # Names in one district: by first word; where that block is too large (a common word),
    # by the first two words, so that "ganesh handicrafts" still meets its twin.
    by_name = (live.exclude(name_key="").filter(district_id__isnull=False)
               .alias(space=StrIndex("name_key", Value(" ")))
               .alias(next_space=StrIndex(Substr("name_key", F("space") + 1), Value(" ")))
               .annotate(word=FIRST_WORD, two=FIRST_TWO_WORDS)
               .annotate(n=Window(Count("id"), partition_by=[F("district_id"), F("word")]),
                         n2=Window(Count("id"), partition_by=[F("district_id"), F("two")]))
               .filter(Q(**between) | Q(n__gt=MAX_BLOCK, n2__gte=2, n2__lte=MAX_BLOCK)))
    by_pan = live.exclude(pan="").annotate(n=Window(Count("id"), partition_by=[F("pan")])).filter(**between)
    by_mobile = (Contact.objects.filter(is_primary=True, enterprise__merged_into__isnull=True).exclude(mobile="")
                 .annotate(n=Window(Count("id"), partition_by=[F("mobile")])).filter(**between))
    blocks: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for pk, district, word, two, members in by_name.values_list("id", "district_id", "word", "two", "n"):
        blocks[("n", district, word) if members <= MAX_BLOCK else ("n2", district, two)].append(pk)
    for pk, pan in by_pan.values_list("id", "pan"):
        blocks[("p", pan)].append(pk)
    for pk, mobile in by_mobile.values_list("enterprise_id", "mobile"):
        blocks[("m", mobile)].append(pk)
    return blocks


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def duplicates_find(enterprise_ids: Iterable[int] | None = None) -> int:
    """Refresh open candidates among live enterprises (all, or those in ``enterprise_ids``' blocks).

    Decided pairs stay as decided. Returns the number of open candidates stored.
    """
    blocks = _small_blocks(Enterprise.objects.filter(merged_into__isnull=True))
    ids = sorted({pk for members in blocks.values() for pk in members})
    rows: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(ids, LOAD_CHUNK):
        rows.update((row["id"], dict(row, mobile="")) for row in Enterprise.objects.filter(column_in("id", chunk))
                    .values("id", "name_key", "district_id", "pan"))
        for pk, mobile in (Contact.objects.filter(column_in("enterprise_id", chunk), is_primary=True)
                           .exclude(mobile="").values_list("enterprise_id", "mobile")):
            rows[pk]["mobile"] = mobile
    wanted = set(enterprise_ids) if enterprise_ids is not None else None
    found: dict[tuple[int, int], tuple[int, list[str]]] = {}
    for members in blocks.values():
        if wanted is not None and not wanted.intersection(members):
            continue
        for x, y in combinations(sorted(set(members)), 2):
            if (x, y) in found:
                continue
            score, reasons = score_pair(rows[x], rows[y])
            if score >= THRESHOLD:
                found[(x, y)] = (score, reasons)
    with transaction.atomic():
        decided = set(DuplicateCandidate.objects.exclude(status=DuplicateCandidate.Status.OPEN)
                      .values_list("first_id", "second_id"))
        stale = DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.OPEN)
        if wanted is not None:  # only the pairs that were compared again
            stale = stale.filter(Q(first_id__in=wanted) | Q(second_id__in=wanted))
        stale.delete()
        fresh = [DuplicateCandidate(first_id=x, second_id=y, score=s, reasons=r)
                 for (x, y), (s, r) in found.items() if (x, y) not in decided]
        DuplicateCandidate.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=True)
    return len(fresh)


def _contacts_move(keep: Enterprise, merge: Enterprise, own: list[Contact]) -> list[str]:
    """Move the merged enterprise's contacts to the kept one (whose contacts are ``own``),
    except those it already has.

    A contact with the same mobile and email as one of the kept enterprise's, and the same
    name or none, adds nothing (the same business entered twice usually repeats its contact):
    it is dropped, and its name fills a blank one. Returns the mobile or email of each dropped.
    """
    kept = {(c.mobile, c.email): c for c in own}
    dropped: list[str] = []
    for contact in Contact.objects.filter(enterprise=merge).order_by("pk"):
        same = kept.get((contact.mobile, contact.email))
        if same is None or (contact.name and same.name and contact.name != same.name):
            continue
        if contact.name and not same.name:
            same.name = contact.name
            same.save(update_fields=["name", "updated_at"])
        dropped.append(contact.mobile or contact.email)
        contact.delete()
    Contact.objects.filter(enterprise=merge).update(enterprise=keep, is_primary=False)
    return dropped


@transaction.atomic
def enterprise_merge(*, actor: Any, keep: Enterprise, merge: Enterprise) -> Enterprise:
    """Merge ``merge`` into ``keep``: fill ``keep``'s blanks, move contacts, keep both histories."""
    if keep.pk == merge.pk or merge.merged_into_id or keep.merged_into_id:
        raise RegistryError("These two enterprises cannot be merged (one is already merged).")
    filled = {}
    moved_ids = {}
    for name in ENTERPRISE_FIELDS:
        if getattr(keep, name) in (None, "", []) and getattr(merge, name) not in (None, "", []):
            filled[name] = [None, getattr(merge, name)]
    for name in ("udyam_number", "gstin"):
        # Move an identifier the kept record lacks; otherwise it stays on the merged row as an
        # alias, so a later import of the same list finds the kept enterprise through it.
        if getattr(merge, name) and name in filled:
            moved_ids[name] = getattr(merge, name)
            setattr(merge, name, None)
    merge.merged_into = keep
    merge.save(update_fields=["udyam_number", "gstin", "merged_into", "updated_at"])
    for name, (_old, value) in filled.items():
        setattr(keep, name, value)
    own = list(Contact.objects.filter(enterprise=keep).order_by("pk"))
    mobiles = " ".join(c.mobile for c in own if c.mobile)
    # With this merge's duplicate and earlier ones.
    search_columns_set(keep, {**{n: getattr(keep, n) for n in ENTERPRISE_FIELDS}, "mobile": mobiles})
    keep.save()
    repeated = _contacts_move(keep, merge, own)
    if repeated:
        filled["contacts_repeated"] = [None, repeated]
    # The kept enterprise stays in every programme either was enrolled in.
    programmes = list(Enrolment.objects.filter(enterprise=merge).exclude(
        programme_id__in=Enrolment.objects.filter(enterprise=keep).values("programme_id"),
    ).values_list("programme_id", "programme__slug"))
    Enrolment.objects.bulk_create([Enrolment(enterprise=keep, programme_id=pk, created_at=timezone.now())
                                   for pk, _slug in programmes])
    if programmes:
        filled["programmes"] = [None, sorted(slug for _pk, slug in programmes)]
    DuplicateCandidate.objects.filter(first__in=[keep, merge], second__in=[keep, merge]).update(
        status=DuplicateCandidate.Status.MERGED, decided_at=timezone.now())
    record(actor, action="registry.enterprise.merged", target=keep, organisation=keep.steward_id,
           changes={"merged": [None, merge.pk], **filled})
    record(actor, action="registry.enterprise.merged_into", target=merge,
           organisation=merge.steward_id,
           changes={"merged_into": [None, keep.pk], **{k: [v, None] for k, v in moved_ids.items()}})
    return keep


@transaction.atomic
def duplicate_keep_apart(*, actor: Any, candidate: DuplicateCandidate) -> DuplicateCandidate:
    """Record that two similar enterprises are different businesses; they are not proposed again."""
    candidate.status = DuplicateCandidate.Status.APART
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_at"])
    record(actor, action="registry.duplicate.kept_apart", target=candidate.first,
           organisation=candidate.first.steward_id, changes={"other": [None, candidate.second_id]})
    return candidate


DUPLICATE_SEARCH = "registry.duplicates"


def duplicates_search_start(*, actor: Any) -> Job:
    """Start the duplicate search in the background; a search already waiting or running is reused."""
    from niryat.registry.tasks import duplicates_search

    running = Job.objects.filter(kind=DUPLICATE_SEARCH,
                                 status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()
    if running is not None:
        return running
    return job_create(actor=actor, kind=DUPLICATE_SEARCH, task=duplicates_search,
                      label=lambda: _("Look for duplicates"), parameters={})


def duplicates_search_latest(*, actor: Any) -> Job | None:
    """The actor's latest duplicate search, to show how it went."""
    return Job.objects.filter(kind=DUPLICATE_SEARCH, owner=actor).order_by("-created_at").first()
