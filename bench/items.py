"""One generated API item (`{"paper": {...}, ...}`), shaped like the real ones of its era."""

from __future__ import annotations

import textwrap
import zlib
from datetime import UTC, date, datetime, timedelta

import numpy as np

from bench.eras import Era
from bench.fixture_stats import BIG_AUTHOR_LIST_SHARE, HUGE_AUTHOR_LIST_SHARE, UPVOTE_TAIL_SHARE
from bench.pools import (
    AUTHOR_SKEW,
    FREQUENT_SUBMITTERS,
    KEYWORD_SKEW,
    ORG_SKEW,
    SUBMITTER_SKEW,
    Pools,
    skewed,
)

CDN = "https://cdn-avatars.huggingface.co/v1/production/uploads"


def object_id(moment: datetime, rng: np.random.Generator) -> str:
    """A Mongo ObjectId: 8 hex digits of creation time, 16 random."""
    return f"{int(moment.timestamp()):08x}{int(rng.integers(0, 2**63)):016x}"[:24]


def iso(moment: datetime) -> str:
    """The API's timestamp form: '2024-05-24T17:34:15.000Z'."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def author_count(rng: np.random.Generator, mu: float, sigma: float) -> int:
    """Authors on one paper: a lognormal body fitted to the fixtures plus big and huge lists."""
    u = rng.random()
    if u < HUGE_AUTHOR_LIST_SHARE:
        return int(rng.integers(250, 451))
    if u < HUGE_AUTHOR_LIST_SHARE + BIG_AUTHOR_LIST_SHARE:
        return int(rng.integers(40, 151))
    return max(1, min(60, int(round(np.expm1(rng.normal(mu, sigma))))))


def upvote_counts(rng: np.random.Generator, n: int, mu: float, sigma: float) -> list[int]:
    """A day's upvotes, heavy-tailed, in the API's order (descending)."""
    body = np.expm1(rng.normal(mu, sigma, n)).clip(0)
    tail = rng.random(n) < UPVOTE_TAIL_SHARE
    body[tail] = 60 * np.exp(rng.normal(0.0, 0.8, tail.sum()))
    return sorted((int(v) for v in body), reverse=True)


class ItemFactory:
    """Builds the items of one day; `pools` and the fitted parameters are shared across days."""

    def __init__(self, pools: Pools) -> None:
        self.pools = pools
        stats = pools.stats
        self.authors_mu_sigma = stats.lognormal(stats.author_counts)
        self.upvotes_mu_sigma = stats.lognormal(stats.upvotes)
        self.summary_mu_sigma = stats.lognormal(stats.summary_chars)
        self.statuses = [s for s, _ in stats.author_status]
        weights = np.asarray([c for _, c in stats.author_status], dtype=float)
        self.status_p = weights / weights.sum()

    def day(self, rng: np.random.Generator, day: date, era: Era, n: int) -> list[dict]:
        """The `n` items of listing date `day`, most upvoted first."""
        if n > 3000:
            raise ValueError(f"at most 3000 papers a day fit the generated id scheme, asked for {n}")
        upvotes = upvote_counts(rng, n, *self.upvotes_mu_sigma)
        return [self.item(rng, day, era, index, upvotes[index]) for index in range(n)]

    def item(self, rng: np.random.Generator, day: date, era: Era, index: int, upvotes: int) -> dict:
        """One item; `index` makes the paper id unique within the listing month."""
        pools, stats = self.pools, self.pools.stats
        listed = datetime(day.year, day.month, day.day, tzinfo=UTC)
        published = listed - timedelta(days=int(rng.integers(1, 4)), seconds=int(rng.integers(0, 86400)))
        if era.name == "E":
            published = published.replace(hour=0, minute=0, second=0)
        title_words = pools.sample_words(rng, int(rng.choice(stats.title_words)))
        title = " ".join(w[:1].upper() + w[1:] for w in title_words)
        chars = int(np.expm1(rng.normal(*self.summary_mu_sigma)))
        summary = " ".join(pools.sample_words(rng, max(20, chars // 7))) + "."
        paper_id = f"{day:%y%m}.{(day.day - 1) * 3000 + index:05d}"
        paper: dict = {
            "id": paper_id,
            "authors": self.authors(rng, listed, era),
            "publishedAt": iso(published),
            "title": textwrap.fill(title, 75, subsequent_indent="  ") if era.hard_wrapped else title,
            "summary": textwrap.fill(summary, 80) if era.hard_wrapped else summary,
            "upvotes": upvotes,
        }
        item: dict = {"paper": paper}
        if era.discussion_id:
            paper["discussionId"] = object_id(listed, rng)
        submitter = self.submitter(rng, era) if era.submitter else None
        if era.daily_submission:
            assert submitter is not None  # eras with daily submissions have item submitters
            moment = listed if era.name == "E" else listed + timedelta(seconds=int(rng.integers(0, 86400)))
            paper["submittedOnDailyAt"] = iso(moment)
            paper["submittedOnDailyBy"] = {k: submitter[k] for k in ("_id", "avatarUrl", "isPro", "fullname")} | {
                "user": submitter["name"],
                "type": "user",
            }
        self.optional_paper_fields(rng, era, paper)
        shift = era.item_published_shift_h
        item_time = (
            published - timedelta(hours=shift)
            if shift
            else listed - timedelta(hours=2) + timedelta(seconds=int(rng.integers(0, 22 * 3600)))
        )
        item["publishedAt"] = iso(item_time)
        item["title"] = title
        if era.item_summary:
            item["summary"] = summary
        if "mediaUrls" in paper:
            item["mediaUrls"] = paper["mediaUrls"]
        item[era.thumbnail_key] = f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{paper_id}.png"
        item["numComments"] = int(rng.choice(stats.comments))
        if submitter is not None:
            item["submittedBy"] = submitter
        if "organization" in paper:
            item["organization"] = paper["organization"]
        if era.name != "A":
            item["isAuthorParticipating"] = bool(rng.random() < 0.3)
        return item

    def optional_paper_fields(self, rng: np.random.Generator, era: Era, paper: dict) -> None:
        """mediaUrls, GitHub, project page, AI summary and keywords, organisation, by era rates."""
        pools = self.pools
        draws = rng.random(5)
        if draws[0] < era.media_share:
            paper["mediaUrls"] = [f"https://cdn-uploads.huggingface.co/production/uploads/{paper['id']}/demo.mp4"]
        if draws[1] < era.github_share:
            paper["githubRepo"] = f"https://github.com/lab{int(rng.integers(0, 5000))}/{paper['id'].replace('.', '-')}"
            paper["githubRepoAddedBy"] = "user" if rng.random() < 0.5 else "auto"
            paper["githubStars"] = int(min(200_000, np.expm1(abs(rng.normal(1.0, 2.5)))))
        if draws[2] < era.project_page_share:
            paper["projectPage"] = f"https://{paper['id'].replace('.', '')}.github.io/"
        if draws[3] < era.ai_share:
            paper["ai_summary"] = " ".join(pools.sample_words(rng, int(rng.integers(15, 35)))) + "."
            picks = skewed(rng, len(pools.keywords), int(rng.integers(4, 18)), KEYWORD_SKEW)
            paper["ai_keywords"] = list(dict.fromkeys(pools.keywords[int(k)] for k in picks))
        if draws[4] < era.organization_share:
            slug, fullname = pools.organizations[int(skewed(rng, len(pools.organizations), 1, ORG_SKEW)[0])]
            paper["organization"] = {
                "_id": f"{zlib.crc32(slug.encode()):024x}",
                "name": slug,
                "fullname": fullname,
                "avatar": f"{CDN}/{slug}/logo.png",
            }

    def authors(self, rng: np.random.Generator, listed: datetime, era: Era) -> list[dict]:
        """The author list: skewed people, sequential _ids, linked users and quirks of real lists."""
        pools = self.pools
        n = author_count(rng, *self.authors_mu_sigma)
        people = skewed(rng, pools.people, n, AUTHOR_SKEW)
        base = int(object_id(listed, rng)[:22], 16) << 8
        rows, seq = [], 0
        if n >= 250 and rng.random() < 0.5:  # an organisation listed as first author (NVIDIA)
            rows.append({"_id": f"{base:024x}", "name": "NVIDIA", "hidden": False})
            seq = 2  # the next _id is skipped, as in 2512.20856
        linked = rng.random(n) < era.linked_author_share
        for k, person in enumerate(people[len(rows) :], start=len(rows)):
            author = {"_id": f"{base + seq:024x}", "name": pools.person_name(int(person)), "hidden": False}
            seq += 1
            username = pools.person_username(int(person)) if linked[k] else None
            if username:
                author["user"] = {
                    "_id": f"{int(person):024x}",
                    "avatarUrl": f"/avatars/{int(person):032x}.svg",
                    "isPro": False,
                    "fullname": author["name"],
                    "user": username,
                    "type": "user",
                }
                author["status"] = str(rng.choice(self.statuses, p=self.status_p))
                author["statusLastChangedAt"] = iso(listed + timedelta(hours=int(rng.integers(1, 48))))
            rows.append(author)
        return rows

    def submitter(self, rng: np.random.Generator, era: Era) -> dict:
        """Item-level submittedBy: AK and taesiri often, else a skewed pick of people with accounts."""
        u, acc = rng.random(), 0.0
        for username, fullname, share in FREQUENT_SUBMITTERS:
            acc += share
            if u < acc:
                return self._user(username, fullname, zlib.crc32(username.encode()) % 10**6, era, is_hf=username == "akhaliq")
        person = 3 * int(skewed(rng, max(1, self.pools.people // 30), 1, SUBMITTER_SKEW)[0])
        name = self.pools.person_name(person)
        account = self.pools.person_username(person)
        assert account is not None  # every third person has an account, and `person` is a multiple of 3
        return self._user(account, name, person, era, is_hf=False)

    def _user(self, username: str, fullname: str, key: int, era: Era, *, is_hf: bool) -> dict:
        relative = key % 100 < 100 * self.pools.stats.relative_avatar_share
        avatar = f"/avatars/{key:032x}.svg" if relative else f"{CDN}/{key:024x}/avatar.png"
        user = {
            "_id": f"{key:024x}",
            "avatarUrl": avatar,
            "fullname": fullname,
            "name": username,
            "type": "user",
            "isPro": key % 7 == 0,
            "isHf": is_hf,
            "isMod": False,
        }
        if era.name in ("D", "E"):
            user["isHfAdmin"] = False
        if key % 4:
            user["followerCount"] = key % 5000
        return user
