"""Site profiles (issue 9): learning a site's own boilerplate from its pages, and removing it.

The site corpus (corpus/sites, see its README) holds four invented sites whose promo, sign-off and
disclaimer lines no rule knows; corpus/sites/expected.json says which lines are templates.
"""

from __future__ import annotations

import json
import pickle
import random
from collections import Counter
from pathlib import Path

import pytest

from cleanarticle import Article, Cleaner, Kind
from cleanarticle.profiles import (
    DEFAULT_MIN_PAGES,
    DEFAULT_MIN_SHARE,
    ProfileError,
    ProfileLearner,
    SiteProfile,
    TemplateFilter,
    host_of,
    load_profiles,
    merge,
    merge_profiles,
    save_profiles,
    template_key,
)

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "corpus" / "sites"
EXPECTED: dict[str, dict[str, list[str]]] = json.loads((SITES / "expected.json").read_text(encoding="utf-8"))
HOSTS = sorted(EXPECTED)
RULES = Cleaner()


def key(line: str) -> str:
    """The normalised form of a line that is long enough to count."""
    found = template_key(line)
    assert found is not None, line
    return found


def pages(host: str) -> list[tuple[str, str]]:
    """(url, text) of every page of a corpus site."""
    return [
        (f"https://www.{host}/news/{path.stem}", path.read_text(encoding="utf-8"))
        for path in sorted((SITES / host).glob("*.txt"))
    ]


def learn(items: list[tuple[str, str]], **options: int | float) -> ProfileLearner:
    """A learner fed the pages after cleaning with the rules, as the CLI does."""
    learner = ProfileLearner(**options)  # type: ignore[arg-type]
    for url, text in items:
        learner.add(url, RULES.clean(text, url=url))
    return learner


@pytest.fixture(scope="module")
def learned() -> dict[str, SiteProfile]:
    return learn([p for host in HOSTS for p in pages(host)]).profiles()


# ---------------------------------------------------------------------------------- the corpus


def test_site_corpus_shape() -> None:
    assert len(HOSTS) >= 3
    for host in HOSTS:
        texts = [text for _, text in pages(host)]
        assert len(texts) >= 6, host
        lines = Counter(line for text in texts for line in set(text.splitlines()))
        for template in EXPECTED[host]["templates"]:
            assert lines[template] >= 3, (host, template)
        for body in EXPECTED[host]["repeated_body"]:
            assert lines[body] == 2, (host, body)


@pytest.mark.parametrize("host", HOSTS)
def test_rules_alone_leave_the_site_lines(host: str) -> None:
    for url, text in pages(host):
        body = RULES.clean(text, url=url).body
        for template in EXPECTED[host]["templates"]:
            if template in text.splitlines():
                assert template in body, (url, template)


@pytest.mark.parametrize("host", HOSTS)
def test_learned_templates_are_the_site_lines(host: str, learned: dict[str, SiteProfile]) -> None:
    profile = learned[host]
    assert profile.host == host
    assert profile.pages == len(pages(host))
    assert profile.exact
    assert set(profile.templates) == {template_key(t) for t in EXPECTED[host]["templates"]}


@pytest.mark.parametrize("host", HOSTS)
def test_profile_removes_exactly_the_templates(host: str, learned: dict[str, SiteProfile]) -> None:
    cleaner = RULES.with_profiles(learned)
    expected = set(EXPECTED[host]["templates"])
    for url, text in pages(host):
        before = RULES.clean(text, url=url)
        after = cleaner.clean(text, url=url)
        templates = after.removed_of(Kind.TEMPLATE)
        assert {r.text for r in templates} == expected & set(text.splitlines()), url
        assert all(r.rule == f"template:{host}" and r.filter == "templates" for r in templates)
        # nothing else changes: the rules' removals and the credits are as before
        assert [r for r in after.removed if r.kind is not Kind.TEMPLATE] == list(before.removed)
        assert after.credits == before.credits
        assert after.body == tuple(p for p in before.body if p not in expected)


def test_site_corpus_figures(learned: dict[str, SiteProfile]) -> None:
    """The figures quoted in docs/profiles.md: every template line removed, no body line removed."""
    cleaner = RULES.with_profiles(learned)
    removed = false = missed = 0
    for host in HOSTS:
        expected = set(EXPECTED[host]["templates"])
        for url, text in pages(host):
            got = {r.text for r in cleaner.clean(text, url=url).removed_of(Kind.TEMPLATE)}
            present = expected & set(text.splitlines())
            removed += len(got & present)
            false += len(got - present)
            missed += len(present - got)
    assert (removed, false, missed) == (74, 0, 0)


def test_credits_the_rules_take_are_not_templates(learned: dict[str, SiteProfile]) -> None:
    """'By Tamsin Rowe' and 'Mit Material von dpa' stand on four of eight pages: still credits."""
    assert template_key("By Tamsin Rowe") not in learned["harbourgazette.example"].counts
    assert template_key("Mit Material von dpa") not in learned["rheinbote.example"].counts
    url, text = pages("rheinbote.example")[2]
    article = RULES.with_profiles(learned).clean(text, url=url)
    assert article.credits.sources == ("dpa",)


# ---------------------------------------------------------------------------------- quotes


@pytest.mark.parametrize("host", HOSTS)
def test_a_quote_in_two_articles_is_not_a_template(host: str, learned: dict[str, SiteProfile]) -> None:
    cleaner = RULES.with_profiles(learned)
    for quote in EXPECTED[host]["repeated_body"]:
        assert learned[host].counts[key(quote)] == 2  # counted, but below the thresholds
        assert not learned[host].is_template(quote)
        for url, text in pages(host):
            if quote in text.splitlines():
                assert quote in cleaner.clean(text, url=url).body


def synthetic_site(n: int, *, repeated: dict[str, int]) -> list[tuple[str, str]]:
    """``n`` pages of unique prose; each line of ``repeated`` added to that many pages."""
    out = []
    for i in range(n):
        lines = [f"Paragraph {j} of story {i} tells its own news in its own words." for j in range(4)]
        lines += [line for line, k in repeated.items() if i < k]
        out.append((f"https://site.example/{i}", "\n".join(lines)))
    return out


def test_defaults_keep_two_pages_of_twenty_as_body() -> None:
    quote = '"We will rebuild the bridge before winter," the mayor said.'
    other = "Three follow-ups repeated this fact box about the bridge."
    footer = "Site Example is written and edited on the third floor."
    site = synthetic_site(20, repeated={quote: 2, other: 3, footer: 20})
    profile = learn(site).profile("site.example")
    assert (DEFAULT_MIN_PAGES, DEFAULT_MIN_SHARE) == (3, 0.25)
    assert profile.threshold == 5
    assert list(profile.templates) == [template_key(footer)]
    article = Cleaner().with_profiles([profile]).clean(site[0][1], url=site[0][0])
    assert quote in article.body and other in article.body and footer not in article.body


def test_two_pages_of_six_are_below_min_pages() -> None:
    quote = '"We will rebuild the bridge before winter," the mayor said.'
    profile = learn(synthetic_site(6, repeated={quote: 2})).profile("site.example")
    assert profile.min_share <= 2 / 6  # the share alone would let it through ...
    assert profile.templates == {}  # ... min_pages does not


def test_thresholds_are_settable() -> None:
    line = "A line on four of twenty pages."
    profile = learn(synthetic_site(20, repeated={line: 4})).profile("site.example")
    assert not profile.is_template(line)
    assert profile.with_thresholds(min_share=0.2).is_template(line)
    assert not profile.with_thresholds(min_share=0.2, min_pages=5).is_template(line)
    learner = learn(synthetic_site(20, repeated={line: 4}), min_pages=2, min_share=0.1)
    assert learner.profile("site.example").is_template(line)
    with pytest.raises(ProfileError):
        ProfileLearner(min_pages=1)  # a line on one page is that page's own
    with pytest.raises(ProfileError):
        ProfileLearner(min_share=0)


def test_a_line_is_counted_once_per_page() -> None:
    learner = ProfileLearner()
    for i in range(3):
        learner.add("site.example", f"Story {i} is new.\nRepeated footer line here.\nRepeated footer line here.")
    assert learner.profile("site.example").counts[key("Repeated footer line here.")] == 3


def test_every_removed_line_stood_on_enough_pages() -> None:
    """Random sites: no line is removed unless it stood on at least ``threshold`` distinct pages."""
    rng = random.Random(9)
    pool = [f"Shared line number {k} in the pool." for k in range(30)]
    site = []
    for i in range(40):
        own = [f"Own paragraph {j} of page {i}." for j in range(rng.randint(1, 5))]
        site.append((f"https://rnd.example/{i}", "\n".join(own + rng.sample(pool, rng.randint(0, 8)))))
    truth = Counter(line for _, text in site for line in set(text.splitlines()))
    profile = learn(site).profile("rnd.example")
    cleaner = Cleaner().with_profiles([profile])
    for url, text in site:
        for removal in cleaner.clean(text, url=url).removed_of(Kind.TEMPLATE):
            assert truth[removal.text] >= max(profile.threshold, profile.min_pages)


# ---------------------------------------------------------------------------------- serialising


def test_profile_round_trips_through_json(learned: dict[str, SiteProfile], tmp_path: Path) -> None:
    profile = learned["harbourgazette.example"]
    assert SiteProfile.from_json(profile.to_json()) == profile
    assert SiteProfile.from_dict(json.loads(json.dumps(profile.to_dict()))) == profile
    data = profile.to_dict()
    assert data["host"] == "harbourgazette.example" and data["pages"] == 8 and data["threshold"] == 3
    assert data["templates"][template_key("Filed from the Gazette's quayside newsroom.")] == 8
    assert data["parameters"] == {"min_pages": 3, "min_share": 0.25, "max_candidates": 4096, "max_line_chars": 400}
    path = tmp_path / "profiles.json"
    save_profiles(learned, path)
    assert load_profiles(path) == learned
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "cleanarticle-site-profiles"
    save_profiles(learned, path, compact=True)
    compacted = load_profiles(path)
    assert {h: p.templates for h, p in compacted.items()} == {h: p.templates for h, p in learned.items()}
    assert all(set(p.counts) == set(p.templates) for p in compacted.values())


def test_bad_profile_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ProfileError):
        load_profiles(path)
    with pytest.raises(ProfileError):
        SiteProfile.from_dict({"host": "a.example", "pages": 1, "templates": {"a line": 5}})
    with pytest.raises(ProfileError):
        SiteProfile.from_json("{not json")
    with pytest.raises(ProfileError):
        load_profiles(tmp_path / "missing.json")


def test_compact_keeps_counts_as_lower_bounds(learned: dict[str, SiteProfile]) -> None:
    profile = learned["valleyledger.example"]
    small = profile.compact()
    assert small.templates == profile.templates
    assert small.undercount == max(c for line, c in profile.counts.items() if line not in profile.templates)
    # merged compacted shards may miss a line the full shards would find, but never invent one
    everything = pages("valleyledger.example")
    full = [learn(everything[k::2]).profile("valleyledger.example") for k in (0, 1)]
    union, partial = merge(*full), merge(*(p.compact() for p in full))
    assert set(partial.templates) <= set(union.templates)
    for line, count in union.counts.items():
        assert partial.counts.get(line, 0) <= count <= partial.counts.get(line, 0) + partial.undercount


# ---------------------------------------------------------------------------------- merging


def test_merge_of_shards_equals_learning_on_the_union() -> None:
    everything = [p for host in HOSTS for p in pages(host)]
    union = learn(everything).profiles()
    shard_a = learn(everything[0::2]).profiles()
    shard_b = learn(everything[1::2]).profiles()
    merged = merge_profiles(shard_a, shard_b)
    assert merged == union
    assert all(p.exact for p in merged.values())
    for host in HOSTS:
        assert merge(shard_a[host], shard_b[host]) == union[host]
        assert merge(shard_b[host], shard_a[host]) == union[host]
    with pytest.raises(ProfileError):
        merge(union[HOSTS[0]], union[HOSTS[1]])
    with pytest.raises(ProfileError):
        merge(union[HOSTS[0]], replace_param(union[HOSTS[0]]))


def replace_param(profile: SiteProfile) -> SiteProfile:
    return SiteProfile(host=profile.host, pages=profile.pages, counts=profile.counts, max_line_chars=300)


def crowded_site(n: int, *, unique: int, seed: int) -> tuple[list[tuple[str, str]], list[str]]:
    """Pages with many unique lines and three templates on 100%, 60% and 40% of them."""
    rng = random.Random(seed)
    templates = ["Footer line on every single page.", "Promo line on most pages of the site.", "Disclaimer on some pages."]
    shares = (1.0, 0.6, 0.4)
    site = []
    for i in range(n):
        lines = [f"Unique line {j} of page {i} number {rng.random()}" for j in range(unique)]
        lines += [t for t, s in zip(templates, shares, strict=True) if rng.random() < s]
        rng.shuffle(lines)
        site.append((f"https://crowded.example/{i}", "\n".join(lines)))
    return site, templates


def test_memory_stays_bounded_on_many_unique_lines() -> None:
    """15,000 distinct lines through a table of 256: about 12 lines a page against 129 kept after a
    reduction, so counts may be up to 12/129 (9%) of the pages low: the 40% line stays over 25%."""
    site, templates = crowded_site(1500, unique=10, seed=1)
    learner = ProfileLearner(max_candidates=256)
    for url, text in site:
        learner.add(url, text)
        assert learner.candidates("crowded.example") <= 256
    profile = learner.profile("crowded.example")
    truth = Counter(template_key(line) for _, text in site for line in set(text.splitlines()))
    keep = profile.max_candidates // 2
    assert not profile.exact
    assert profile.undercount <= profile.lines_counted / (keep + 1)  # the documented bound
    for line, count in profile.counts.items():  # counts are lower bounds, off by at most undercount
        assert count <= truth[line] <= count + profile.undercount
    # the sketch may only miss templates, never invent one; here it finds all three
    assert set(profile.templates) == {template_key(t) for t in templates}


def test_merge_of_pruned_shards_stays_within_the_bound() -> None:
    site, templates = crowded_site(1000, unique=10, seed=2)
    a = ProfileLearner(max_candidates=256)
    b = ProfileLearner(max_candidates=256)
    for i, (url, text) in enumerate(site):
        (a if i % 2 else b).add(url, text)
    merged = merge(a.profile("crowded.example"), b.profile("crowded.example"))
    truth = Counter(line for _, text in site for line in set(text.splitlines()))
    assert len(merged.counts) <= 256
    assert merged.pages == 1000 and not merged.exact
    assert merged.undercount <= merged.lines_counted / (256 // 2 + 1)
    for raw in templates:
        count = merged.counts[key(raw)]
        assert count <= truth[raw] <= count + merged.undercount
    assert set(merged.templates) == {template_key(t) for t in templates}


def test_duplicate_pages_are_counted_once() -> None:
    learner = ProfileLearner()
    text = "A story told once.\nAnd its second paragraph."
    assert learner.add("https://dup.example/a", text)
    assert not learner.add("https://dup.example/a?amp=1", text)
    assert not learner.add("https://dup.example/b", "  \n ")
    assert learner.profile("dup.example").pages == 1
    assert learner.duplicates("dup.example") == 1


# ---------------------------------------------------------------------------------- the Cleaner


def test_cleaner_with_profiles_pickles(learned: dict[str, SiteProfile]) -> None:
    cleaner = Cleaner().with_profiles(learned)
    names = cleaner.filter_names
    assert names.index("templates") == names.index("blocks") + 1
    copy = pickle.loads(pickle.dumps(cleaner))
    assert copy.filter_names == names
    url, text = pages("northpeakdispatch.example")[0]
    assert copy.clean(text, url=url) == cleaner.clean(text, url=url)
    assert pickle.loads(pickle.dumps(TemplateFilter(learned))) == TemplateFilter(learned)
    assert pickle.loads(pickle.dumps(learned["rheinbote.example"])) == learned["rheinbote.example"]


def test_pages_of_other_hosts_are_untouched(learned: dict[str, SiteProfile]) -> None:
    url, text = pages("harbourgazette.example")[1]
    only_others = Cleaner().with_profiles([p for h, p in learned.items() if h != "harbourgazette.example"])
    everything = Cleaner().with_profiles(learned)
    for cleaner, page_url in [
        (only_others, url),
        (everything, "https://valleyledger.example/news/02"),
        (everything, "https://sport.harbourgazette.example/news/02"),
        (everything, None),
    ]:
        assert not cleaner.clean(text, url=page_url).removed_of(Kind.TEMPLATE), page_url
    assert cleaner.clean(text, url=url).removed_of(Kind.TEMPLATE)
    assert Cleaner().with_profiles(learned).without("templates").clean(text, url=url) == Cleaner().clean(text, url=url)


def test_hosts_from_urls_metadata_and_defaults(learned: dict[str, SiteProfile]) -> None:
    assert host_of("https://WWW.HarbourGazette.example:8443/x?y=1") == "harbourgazette.example"
    assert host_of("harbourgazette.example/news/1") == "harbourgazette.example"
    assert host_of("sport.harbourgazette.example") == "sport.harbourgazette.example"
    assert host_of("") is None and host_of(None) is None
    _, text = pages("harbourgazette.example")[1]
    with_default = Cleaner().with_profiles(learned, default_host="harbourgazette.example")
    assert len(with_default.clean(text).removed_of(Kind.TEMPLATE)) == 3
    # an Article carries its host in its metadata
    article = Cleaner().clean(text, url="https://harbourgazette.example/x")
    learner = ProfileLearner()
    learner.add(None, article)
    assert learner.hosts == ("harbourgazette.example",)
    with pytest.raises(ProfileError):
        learner.add(None, "a page without a host")


def test_html_pages_take_their_host_from_the_url(learned: dict[str, SiteProfile]) -> None:
    url, text = pages("valleyledger.example")[0]
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines())
    html = f"<html><head><title>Apples</title></head><body><article>{paragraphs}</article></body></html>"
    article = Cleaner().with_profiles(learned).clean(html, url=url)
    assert article.mode == "html"
    assert {r.text for r in article.removed_of(Kind.TEMPLATE)} == set(EXPECTED["valleyledger.example"]["templates"]) & set(text.splitlines())


def test_learning_from_articles_or_paragraphs() -> None:
    learner = ProfileLearner()
    learner.add("a.example", Article(body=("One.", "Footer of site A here.")))
    learner.add("a.example", ["Two.", "Footer of site A here."])
    learner.add("a.example", "Three.\nFooter of site A here.")
    assert learner.profile("a.example").counts[key("Footer of site A here.")] == 3
    assert learner.pop("a.example").pages == 3
    assert learner.hosts == ()


# ---------------------------------------------------------------------------------- the command line


def run_cli(*argv: str) -> int:
    from cleanarticle.cli import main

    return main(list(argv))


def site_dirs() -> list[str]:
    return [str(SITES / host) for host in HOSTS]


def test_cli_learn_then_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "profiles.json"
    assert run_cli("learn", *site_dirs(), "--host-from-dir", "-o", str(out)) == 0
    profiles = load_profiles(out)
    assert sorted(profiles) == HOSTS
    for host in HOSTS:
        assert set(profiles[host].templates) == {key(t) for t in EXPECTED[host]["templates"]}
        assert set(profiles[host].counts) == set(profiles[host].templates)  # templates only by default
    assert "4 host(s), 12 template line(s)" in capsys.readouterr().err
    page = SITES / "harbourgazette.example" / "02.txt"
    args = ("clean", "--profiles", str(out), "--format", "text", "-q", str(page))
    assert run_cli(*args, "--host", "harbourgazette.example") == 0
    text = capsys.readouterr().out
    assert "Filed from the Gazette's quayside newsroom." not in text
    assert "Work is expected to take eleven weeks, weather permitting." in text
    assert run_cli(*args) == 0  # no URL and no --host: the page's host is unknown, nothing removed
    assert "Filed from the Gazette's quayside newsroom." in capsys.readouterr().out


def test_cli_learn_from_jsonl_urls_in_parallel(tmp_path: Path) -> None:
    feed = tmp_path / "crawl.jsonl"
    rows = [{"url": url, "text": text} for host in HOSTS for url, text in pages(host)]
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    assert run_cli("learn", str(feed), "-o", str(one), "-q", "--keep-candidates") == 0
    assert run_cli("learn", str(feed), "-o", str(two), "-q", "--keep-candidates", "-j", "2") == 0
    assert one.read_bytes() == two.read_bytes()
    learned_here = load_profiles(one)
    assert learned_here == learn([p for host in HOSTS for p in pages(host)]).profiles()
    # shards learned apart, with their candidates, merge into the same profiles
    shards = []
    for k in (0, 1):
        part = tmp_path / f"part{k}.jsonl"
        part.write_text("".join(json.dumps(r) + "\n" for r in rows[k::2]), encoding="utf-8")
        shards.append(tmp_path / f"part{k}.json")
        assert run_cli("learn", str(part), "-o", str(shards[k]), "-q", "--keep-candidates") == 0
    assert merge_profiles(load_profiles(shards[0]), load_profiles(shards[1])) == learned_here


def test_cli_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = str(SITES / "harbourgazette.example" / "02.txt")
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    assert run_cli("clean", "--profiles", str(bad), page) == 2
    assert "not a cleanarticle profile file" in capsys.readouterr().err
    assert run_cli("clean", "--host", "harbourgazette.example", page) == 2
    assert run_cli("learn", page, "-o", str(tmp_path / "p.json"), "--min-pages", "1") == 2
    assert run_cli("learn", page, "-o", str(tmp_path / "p.json"), "-q") == 1  # no URL, no host
    assert "without a URL or host" in capsys.readouterr().err
