"""Put every organisation on the map from the shipped gazetteer (docs/operations.md, "Lokalizacja
na mapie"). Idempotent; never moves a pin an officer confirmed. deploy/release --migrate runs it."""

from django.core.management.base import BaseCommand

from certification.domain import locations


class Command(BaseCommand):
    help = (
        "Set each organisation's point on the map from its town and powiat (the gazetteer in "
        "certification/data/geo/), leaving confirmed pins; print the counts."
    )

    def handle(self, *args, **options):
        result = locations.locate_all()
        self.stdout.write(
            f"located: {result.located}, not found: {result.unlocated}, "
            f"confirmed pins kept: {result.confirmed}, changed now: {result.changed}"
        )
