"""Plain text for the console (and logs): the same replies, no markup."""

from __future__ import annotations

from ..core.reply import Form, Reply


def render(reply: Reply) -> str:
    lines = [reply.text] if reply.text else []
    for section in reply.sections:
        if section.title:
            lines += ["", f"■ {section.title}"]
        if section.text:
            lines.append(section.text)
        lines += [f"  {f.label}: {f.value}" for f in section.fields]
        lines += [f"  ・{item}" for item in section.items]
        if section.buttons:
            lines.append("  " + "  ".join(f"[{b.label}]" for b in section.buttons))
        if section.select is not None:
            lines.append(f"  {section.select.placeholder}:")
            lines += [f"    {n}. {o.label}" for n, o in enumerate(section.select.options, 1)]
    return "\n".join(lines)


def render_form(form: Form) -> str:
    lines = [form.title]
    if form.text:
        lines.append(form.text)
    lines += [f"  {i.label}{': ' + i.placeholder if i.placeholder else ''}" for i in form.inputs]
    return "\n".join(lines)
