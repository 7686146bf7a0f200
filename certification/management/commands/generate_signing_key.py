"""Create the Ed25519 key that signs certificates: `manage.py generate_signing_key --out PATH`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certification import signing_keys


class Command(BaseCommand):
    help = (
        "Create a new Ed25519 private key (PEM, readable by its owner only) for signing "
        "certificates, and print its key id and public key. Never overwrites a file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Where to write the private key.")

    def handle(self, *args, out: str, **options):
        path = Path(out)
        try:
            key = signing_keys.write_new_private_key(path)
        except FileExistsError:
            # Replacing a key silently would make every printed QR code fail to verify.
            raise CommandError(
                f"{path} already exists. To rotate keys, write the new key to another path "
                "(see docs/signatures.md)."
            ) from None
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from None
        public = signing_keys.PublicKey(
            signing_keys.key_id_of(key.public_key()), key.public_key(), current=True
        )
        self.stdout.write(f"Wrote the private key {path} (mode 0600), key id {public.key_id}.")
        self.stdout.write(f"Set CERTIFICATE_SIGNING_KEY_FILE={path.resolve()}")
        self.stdout.write(
            "Its public key (keep it for CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEY_FILES"
        )
        self.stdout.write("when you rotate to a newer key):")
        self.stdout.write(public.pem, ending="")
