"""``pbp opinions``: opinion groups, consensus and divisive ideas of a session's reactions."""

from __future__ import annotations

import click

from ._base import Ctx, cli, echo_json, pass_ctx


@cli.command("opinions")
@click.argument("session_ref", metavar="SESSION")
@click.option(
    "--prompt",
    "prompt_key",
    default=None,
    metavar="KEY",
    help="Only the reactions to this prompt's ideas (its key).",
)
@click.option(
    "--min-votes",
    type=click.IntRange(min=1),
    default=7,
    show_default=True,
    help="Reactions a participant needs to be placed in a group (Polis: 7).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"groups", "participants": [{"participant", "group"}], "consensus", ...}.',
)
@pass_ctx
def opinions_cmd(
    c: Ctx, session_ref: str, prompt_key: str | None, min_votes: int, as_json: bool
) -> None:
    """Find opinion groups in a session's reactions and the ideas they agree on (Polis's
    method)."""
    from ..opinions.session import opinions_json, session_opinions

    rec = c.store.get_session(session_ref)
    prompt_id = None
    if prompt_key is not None:
        prompts = {p.key: p.id for p in c.store.list_prompts(rec.id)}
        if prompt_key not in prompts:
            raise click.BadParameter(
                f"{prompt_key!r} is no prompt of {rec.code}; expected one of {sorted(prompts)}.",
                param_hint="--prompt",
            )
        prompt_id = prompts[prompt_key]
    analysis, subs = session_opinions(c.store, rec.id, prompt_id=prompt_id, min_votes=min_votes)
    data = opinions_json(analysis, subs)
    if as_json:
        echo_json(data)
        return
    click.echo(
        f"{rec.code}: {data['n_votes']} reaction(s) of {data['n_participants']} participant(s) "
        f"on {data['n_ideas']} idea(s); {data['n_placed']} placed in {data['n_groups']} "
        f"opinion group(s)."
    )
    if data["n_groups"] == 0:
        click.echo(
            f"Too few reactions for groups yet: a participant needs {min_votes} reaction(s) "
            f"to be placed, and groups need at least 3 distinct positions."
        )
        return

    def short(text: str | None) -> str:
        t = " ".join((text or "").split())
        return t if len(t) <= 90 else t[:89] + "…"

    for g in data["groups"]:
        click.echo(f"\nGroup {g['id'] + 1} ({g['size']} participant(s)):")
        for r in g["representative"]:
            click.echo(f"  {r['direction']:8} {r['p']:.0%}  {short(r['text'])}")
    click.echo("\nAgreed across all groups:")
    for it in data["consensus"] or []:
        shares = ", ".join(f"{p:.0%}" for p in it["group_agree"])
        click.echo(f"  {shares:>20}  {short(it['text'])}")
    if not data["consensus"]:
        click.echo("  (none yet)")
    click.echo("\nDivisive:")
    for it in data["divisive"] or []:
        shares = ", ".join(f"{p:.0%}" for p in it["group_agree"])
        click.echo(f"  {shares:>20}  {short(it['text'])}")
    if not data["divisive"]:
        click.echo("  (none)")
