"""Markdown to simple Confluence storage XHTML, through ADF, with every text escaped."""

from __future__ import annotations

from html import escape

from .md_to_adf import markdown_to_adf

_MARK_TAGS = {"strong": "strong", "em": "em", "strike": "s", "code": "code", "underline": "u"}
_PANEL_MACROS = {"info": "info", "note": "info", "tip": "tip", "success": "tip", "warning": "note", "error": "warning", "custom": "info"}
_COLOURS = {"neutral": "Grey", "purple": "Purple", "blue": "Blue", "red": "Red", "yellow": "Yellow", "green": "Green"}


def markdown_to_storage(text: str) -> str:
    """Convert Markdown to Confluence storage format (XHTML with ac:/ri: macros)."""
    return "".join(_block(b) for b in markdown_to_adf(text)["content"])


def _attr(value) -> str:
    return escape(str(value), quote=True)


def _blocks(nodes: list) -> str:
    return "".join(_block(n) for n in nodes)


def _param(name: str, value) -> str:
    return f'<ac:parameter ac:name="{_attr(name)}">{escape(str(value), quote=False)}</ac:parameter>'


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _block(node: dict) -> str:
    kind = node["type"]
    content = node.get("content", [])
    attrs = node.get("attrs", {})
    if kind == "paragraph":
        return f"<p>{_inlines(content)}</p>"
    if kind == "heading":
        return f"<h{attrs['level']}>{_inlines(content)}</h{attrs['level']}>"
    if kind in ("bulletList", "orderedList"):
        tag = "ul" if kind == "bulletList" else "ol"
        start = f' start="{int(attrs["order"])}"' if attrs.get("order", 1) != 1 else ""
        return f"<{tag}{start}>" + "".join(f"<li>{_blocks(i['content'])}</li>" for i in content) + f"</{tag}>"
    if kind == "taskList":
        return "<ac:task-list>" + "".join(_task(i) for i in content) + "</ac:task-list>"
    if kind == "decisionList":
        return "<ul>" + "".join(f"<li>{_inlines(i.get('content', []))}</li>" for i in content) + "</ul>"
    if kind == "blockquote":
        return f"<blockquote>{_blocks(content)}</blockquote>"
    if kind == "codeBlock":
        text = "".join(t["text"] for t in content)
        language = _param("language", attrs["language"]) if attrs.get("language") else ""
        return f'<ac:structured-macro ac:name="code">{language}<ac:plain-text-body>{_cdata(text)}</ac:plain-text-body></ac:structured-macro>'
    if kind == "rule":
        return "<hr />"
    if kind in ("panel", "expand", "nestedExpand"):
        name = _PANEL_MACROS.get(attrs.get("panelType"), "expand") if kind == "panel" else "expand"
        title = _param("title", attrs["title"]) if attrs.get("title") else ""
        return f'<ac:structured-macro ac:name="{name}">{title}<ac:rich-text-body>{_blocks(content)}</ac:rich-text-body></ac:structured-macro>'
    if kind == "table":
        rows = []
        for row in content:
            cells = "".join(
                f"<{'th' if c['type'] == 'tableHeader' else 'td'}>{_blocks(c['content'])}</{'th' if c['type'] == 'tableHeader' else 'td'}>"
                for c in row["content"]
            )
            rows.append(f"<tr>{cells}</tr>")
        return "<table><tbody>" + "".join(rows) + "</tbody></table>"
    if kind in ("mediaSingle", "mediaGroup"):
        return "<p>" + "".join(_media(m["attrs"]) for m in content if m["type"] == "media") + "</p>"
    return f"<p>{_inlines(content)}</p>"


def _task(item: dict) -> str:
    if item["type"] == "taskList":
        return _block(item)
    status = "complete" if item["attrs"]["state"] == "DONE" else "incomplete"
    return f"<ac:task><ac:task-status>{status}</ac:task-status><ac:task-body>{_inlines(item.get('content', []))}</ac:task-body></ac:task>"


def _media(attrs: dict) -> str:
    alt = f' ac:alt="{_attr(attrs["alt"])}"' if attrs.get("alt") else ""
    if attrs.get("type") == "external":
        return f'<ac:image{alt}><ri:url ri:value="{_attr(attrs["url"])}" /></ac:image>'
    name = attrs.get("alt") or attrs.get("id", "")
    return f'<ac:image{alt}><ri:attachment ri:filename="{_attr(name)}" /></ac:image>'


def _inlines(nodes: list) -> str:
    return "".join(_inline(n) for n in nodes)


def _inline(node: dict) -> str:
    kind = node["type"]
    attrs = node.get("attrs", {})
    if kind == "text":
        html = escape(node["text"], quote=False)
        for mark in node.get("marks", []):
            if mark["type"] == "link":
                html = f'<a href="{_attr(mark["attrs"]["href"])}">{html}</a>'
            elif mark["type"] in _MARK_TAGS:
                tag = _MARK_TAGS[mark["type"]]
                html = f"<{tag}>{html}</{tag}>"
        return html
    if kind == "hardBreak":
        return "<br />"
    if kind == "mention":
        return f'<ac:link><ri:user ri:account-id="{_attr(attrs["id"])}" /></ac:link>'
    if kind == "status":
        colour = _COLOURS.get(attrs["color"], "Grey")
        return f'<ac:structured-macro ac:name="status">{_param("colour", colour)}{_param("title", attrs["text"])}</ac:structured-macro>'
    if kind == "date":
        from datetime import datetime, timezone

        day = datetime.fromtimestamp(int(attrs["timestamp"]) // 1000, tz=timezone.utc).date()
        return f'<time datetime="{day.isoformat()}" />'
    if kind == "inlineCard":
        url = _attr(attrs["url"])
        return f'<a href="{url}">{url}</a>'
    if kind == "mediaInline":
        return _media(attrs)
    return escape(str(attrs.get("text", "")), quote=False)
