"""``goalstudio hub``: the JupyterHub configuration for a team workshop on one server.

    goalstudio hub config [--authenticator dummy|native|oauth|lti] [--out FILE]

Prints (or writes) a ``jupyterhub_config.py`` whose comments mark each setting to change for
production: real authentication, HTTPS, and the spawner. Nothing from Jupyter is imported.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from goalstudio.cli import CliError


def register(sub: Any) -> None:
    hub = sub.add_parser(
        "hub",
        help="JupyterHub configuration for a team workshop on one server",
        description="JupyterHub configuration for a team workshop on one server "
        "(see docs/deploy.md).",
    )
    actions = hub.add_subparsers(dest="hub_action", metavar="ACTION")
    config = actions.add_parser(
        "config",
        help="print or write jupyterhub_config.py",
        description="Print or write a jupyterhub_config.py for a team workshop. Comments mark "
        "each setting to change before real learners use it.",
    )
    from goalstudio.hub.settings import AUTHENTICATORS

    config.add_argument(
        "--authenticator",
        choices=AUTHENTICATORS,
        default="dummy",
        help="how people log in: dummy (trying out only), native (hub sign-up with approval), "
        "oauth (your identity provider) or lti (launch from your LMS). Default: dummy",
    )
    config.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead")
    config.add_argument("--force", action="store_true", help="replace FILE when it already exists")
    config.set_defaults(handler=_config)
    approve = actions.add_parser(
        "approve-facilitator",
        help="let a facilitator who signed up on the hub log in (native sign-up; run as root)",
        description="With --authenticator native, a facilitator's sign-up needs the server "
        "administrator's approval. Check that the person who signed up is the facilitator, "
        "then run this as root on the hub server.",
    )
    approve.add_argument("name", help="the facilitator's hub name")
    approve.set_defaults(handler=_approve)
    hub.set_defaults(handler=_help(hub))


def _help(parser: argparse.ArgumentParser) -> Any:
    def handler(_args: argparse.Namespace) -> int:
        parser.print_help()
        return 1

    return handler


def _approve(args: argparse.Namespace) -> int:
    from goalstudio.hub.facilitators import approvals_file, approve_facilitator
    from goalstudio.hub.settings import HubSettings, HubSetupError

    try:
        settings = HubSettings.from_env()
        added = approve_facilitator(settings, args.name)
    except HubSetupError as exc:
        raise CliError(str(exc)) from None
    except PermissionError:
        raise CliError(
            f"{approvals_file(settings)} can only be written by root: run this with sudo."
        ) from None
    state = "approved" if added else "was already approved"
    print(f"{args.name} {state}: they can now log in as a facilitator.")
    return 0


def _config(args: argparse.Namespace) -> int:
    from goalstudio.hub.config_file import render_config

    text = render_config(args.authenticator)
    if args.out is None:
        print(text, end="")
        return 0
    out: Path = args.out
    if out.exists() and not args.force:
        raise CliError(f"{out} already exists: add --force to replace it, or choose another FILE.")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # 0600: the configuration may come to hold secrets (a database password).
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        os.fchmod(fd, 0o600)  # a file replaced with --force keeps no wider permissions
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise CliError(f"{out}: cannot be written ({exc.strerror}).") from None
    print(f"Wrote {out} (authenticator: {args.authenticator}). Next: sudo jupyterhub -f {out}")
    return 0
