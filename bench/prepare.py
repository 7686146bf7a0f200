"""Load the registry and write the request lists the benchmark replays.

    python -m bench.prepare --count 100000 --out DIR

Generates the certificates (manage.py generate_certificates) unless exactly that many generated
ones are already there, then writes one file of URL paths per scenario into DIR.
"""

import argparse
import json
import os
import random
from pathlib import Path
from urllib.parse import quote, urlencode

# What people type into a registry: product words, names, a town, with and without Polish
# letters, and a few that find nothing.
WORDS = [
    "catering", "pierogi", "sprzątanie", "zolc", "Żółć", "spółdzielnia socjalna", "fundacja",
    "stowarzyszenie", "złota łąka", "kołocz śląski", "ceramika", "naprawa rowerów", "przystań",
    "miód", "odzież robocza", "pranie", "tęczowa", "Gliwicach", "usługi opiekuńcze",
    "zabawki drewniane", "Caritas", "noclegi", "niepelnosprawnosciami", "bazant", "hydraulik",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from certification.management.commands._registry_vocabulary import GENERATED_NIP_PREFIX
    from certification.models import Certificate

    generated = Certificate.objects.filter(organization__nip__startswith=GENERATED_NIP_PREFIX)
    if generated.count() != args.count:
        call_command("generate_certificates", count=args.count, reset=True)
    else:
        print(f"{args.count:,} generated certificates already loaded.")
    rng = random.Random(7)
    rows = list(generated.values_list("number", "organization__nip"))
    numbers = [n for n, _ in rng.sample(rows, min(2000, len(rows)))]
    nips = [nip for _, nip in rng.sample(rows, min(50, len(rows)))]
    args.out.mkdir(parents=True, exist_ok=True)

    def write(name: str, paths: list[str]) -> None:
        (args.out / f"{name}.txt").write_text("\n".join(paths) + "\n")

    write("baseline", [f"/bench/baseline/?number={quote(n, safe='')}" for n in numbers])
    write("verify", [f"/api/v1/verify?number={quote(n, safe='')}" for n in numbers])
    # Every certificate once, in random order: nearly every question is new to the cache.
    everyone = [n for n, _ in rows]
    rng.shuffle(everyone)
    write("verify-cold", [f"/api/v1/verify?number={quote(n, safe='')}" for n in everyone])
    queries = _queries(numbers[:50], nips, rng)
    write("search-api", [f"/api/v1/certificates?{urlencode(q)}" for q in queries])
    write("search-html", [f"/rejestr/?{urlencode(q)}" for q in queries + [{}] * 20])
    print("BENCH " + json.dumps({"certificates": Certificate.objects.count()}))


def _queries(numbers: list[str], nips: list[str], rng: random.Random) -> list[dict]:
    """Half words (half of those for valid certificates only), a quarter NIPs, a quarter
    numbers, typed the ways people type them."""
    queries = [{"q": w} for w in WORDS * 2]
    queries += [{"q": w, "status": "valid"} for w in WORDS * 2]
    queries += [{"q": nip if rng.random() < 0.7 else _dashed(nip)} for nip in nips]
    queries += [{"q": n if rng.random() < 0.5 else n.replace("/", "-").lower()} for n in numbers]
    return queries


def _dashed(nip: str) -> str:
    return f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"


if __name__ == "__main__":
    main()
