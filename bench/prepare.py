"""Load the registry and write the request lists the benchmark replays.

    python -m bench.prepare --count 100000 --out DIR

Generates the certificates (manage.py generate_certificates) unless exactly that many generated
ones are already there, then writes one file of URL paths per scenario into DIR.
"""

import argparse
import json
import os
import random
import time
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

    from certification.management.commands import _registry_vocabulary as words
    from certification.models import Certificate, CpvCode

    generated = Certificate.objects.filter(organization__nip__startswith=words.GENERATED_NIP_PREFIX)
    generator_seconds = None
    if generated.count() != args.count:
        if not CpvCode.objects.exists():  # the generated items' codes need the vocabulary
            call_command("import_cpv")
        started = time.perf_counter()
        call_command("generate_certificates", count=args.count, reset=True)
        generator_seconds = time.perf_counter() - started
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
    # The yardstick for those: the bare lookup of the same numbers in the same order, so that
    # both read rows PostgreSQL has not cached yet (2,000 numbers stay in its buffers).
    write("baseline-cold", [f"/bench/baseline/?number={quote(n, safe='')}" for n in everyone])
    queries = _queries(numbers[:50], nips, rng)
    write("search-api", [f"/api/v1/certificates?{urlencode(q)}" for q in queries])
    write("search-html", [f"/rejestr/?{urlencode(q)}" for q in queries + [{}] * 20])
    codes = sorted({code for codes in words.ITEM_CPV.values() for code in codes})
    cpv = [{"cpv": code} for code in codes] + [{"cpv": code, "status": "valid"} for code in codes]
    write("search-cpv", [f"/api/v1/certificates?{urlencode(q)}" for q in cpv])
    powiats = sorted(set(words.TOWN_POWIATS.values()))
    by_powiat = [{"powiat": p} for p in powiats] + [
        {"powiat": p, "status": "valid"} for p in powiats
    ]
    by_powiat += [{"powiat": p, "q": rng.choice(WORDS)} for p in powiats]
    write("search-powiat", [f"/api/v1/certificates?{urlencode(q)}" for q in by_powiat])
    write("search-bbox", [f"/api/v1/certificates?{urlencode(q)}" for q in _boxes(words, rng)])
    print(
        "BENCH "
        + json.dumps(
            {"certificates": Certificate.objects.count(), "generator_seconds": generator_seconds}
        )
    )


def _boxes(words, rng: random.Random) -> list[dict]:
    """Map views: boxes around the towns, from a district (0.02°) to a region (0.5°)."""
    boxes = []
    for latitude, longitude in words.town_points().values():
        for half in (0.02, 0.1, 0.5):
            box = (longitude - half, latitude - half, longitude + half, latitude + half)
            boxes.append({"bbox": ",".join(f"{x:.4f}" for x in box)})
            boxes.append({"bbox": boxes[-1]["bbox"], "status": "valid"})
    rng.shuffle(boxes)
    return boxes


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
