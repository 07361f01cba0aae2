#!/usr/bin/env python3
"""Counts what scraped pages leave in `sentence` rows of an annotated CSV.

Usage: residue.py ANNOTATED.csv [--show N] [--exclude ARTICLES.csv]

- glued: a sentence-final mark (and closing quote) directly followed by a capitalised
  word (`jaunes.Nous`, `française».La`) outside URLs/e-mails, or a lowercase word running
  into a capitalised sentence opener (`…à ParisLundi,`): a boundary left inside the row;
- embed: tweet residue (`pic.twitter.com/`, `t.co/`, `— Name (@handle)`);
- credit: agency/outlet credits in parentheses (`(AFP)`, `(ats/nxp)`), `Lire aussi`,
  `Read more`, follow/e-mail lines, `reported from`, `<tweet` markup;
- long: rows over 400 characters.
The targets of issue 13: glued <= 1% of sentence rows; embed and credit = 0.
"""
import csv, re, sys
from collections import Counter

GLUED = re.compile(r"(?<![/@\w.])[\w'’-]*[a-zà-ÿ0-9]{2}[.!?…]+[»”\"]?(?=[A-ZÀ-ÖØ-Þ«][a-zà-ÿ'’ ])")
CAMEL = re.compile(r"[a-zà-ÿ]{3}(?=(Le|La|Les|Il|Elle|Ils|Dans|Pour|Selon|Mais|Et|En|Un|Une|Des|Ce|Cette|Lundi|Mardi|Mercredi|Jeudi|Vendredi|Samedi|Dimanche)\b)")
EMBED = re.compile(r"pic\.twitter\.com/|https?://t\.co/|—\s*[^()]{1,60}\(@\w+\)")
CREDIT = re.compile(r"\((?:afp|ats|ap|reuters|nxp|ats/nxp|afp/nxp|le matin|tdg|belga|ansa)(?:/[a-z]+)?\)|^\s*(?:lire aussi|lire également|à lire aussi|read more|related:)|follow [\w .]+ on twitter|\breported from\b|<tweet|^\s*\(?photo\s*:", re.I)


def main():
    path = sys.argv[1]
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 0
    exclude = set()
    if "--exclude" in sys.argv:
        exclude = {r["article_id"] for r in csv.DictReader(open(sys.argv[sys.argv.index("--exclude") + 1]))}
    n, c, shown = 0, Counter(), Counter()
    for r in csv.DictReader(open(path, encoding="utf-8")):
        if r["kind"] != "sentence" or r["article_id"] in exclude:
            continue
        n += 1
        t = r["text"]
        for name, hit in [("glued", GLUED.search(t) or CAMEL.search(t)), ("embed", EMBED.search(t)),
                          ("credit", CREDIT.search(t)), ("long", len(t) > 400)]:
            if hit:
                c[name] += 1
                if shown[name] < show:
                    shown[name] += 1
                    print(f"[{name}] {r['article_id']}: {t[:300]!r}")
    print(f"sentence rows {n}; " + "; ".join(f"{k} {c[k]} ({100 * c[k] / max(n, 1):.2f}%)" for k in ["glued", "embed", "credit", "long"]))


if __name__ == "__main__":
    main()
