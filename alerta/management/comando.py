from django.core.management.base import BaseCommand


class Comando(BaseCommand):
    """A management command whose `help` may be a lazy (translated) string."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # argparse wraps the description as text: a lazy string must be resolved.
        parser.description = str(self.help)
        return parser
