"""Confluence Cloud REST client: v2 (`/wiki/api/v2`) for content; v1 only for CQL search and what v2 lacks."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from ..errors import ApiError, AtlassianError, InvalidInput
from ..http import HttpClient, path
from . import body_bytes, cursor_from_next

V2 = "/wiki/api/v2"
V1 = "/wiki/rest/api"


class VersionConflict(AtlassianError):
    """A page changed since the version the caller edited; nothing was overwritten."""

    def __init__(self, page_id: str, based_on: int | None, current: dict[str, Any], author: str | None):
        self.page_id = page_id
        self.based_on = based_on
        self.current = current
        number = current.get("number")
        when = (current.get("createdAt") or "")[:16].replace("T", " ")
        who = f" by {author}" if author else ""
        base = f" since version {based_on}" if based_on else ""
        super().__init__(
            f"Page {page_id} was changed{base}: it is now at version {number}{who}{', ' + when if when else ''}. "
            "Nothing was overwritten; read the page again and reapply your edit to the current version."
        )


def _paged(data: Any) -> dict[str, Any]:
    """A v2 list answer with `next_cursor` lifted out of `_links.next` (None on the last page)."""
    data = data or {}
    data["next_cursor"] = cursor_from_next((data.get("_links") or {}).get("next"))
    return data


class ConfluenceClient:
    """Confluence REST calls; each method is one operation of confluence-v2.json (or confluence-v1.json)."""

    product = "confluence"

    def __init__(self, http: HttpClient, site_url: str):
        self.http = http
        self.site_url = site_url.rstrip("/")
        self._lock = threading.Lock()
        self._spaces: dict[str, dict[str, Any]] = {}  # space key -> {id, key, name}
        self._users: dict[str, str] = {}  # account id -> display name
        self._me: str | None = None  # the signed-in account id, once read
        self.kind = "pages"  # "blogposts" in the view blog_posts() returns: the same read and write path for blog posts

    def web_url(self, links: dict[str, Any] | None) -> str | None:
        """Absolute browser URL from a v2 object's `_links` (webui is relative to the site's /wiki)."""
        webui = links.get("webui") if isinstance(links, dict) else None
        if not webui or not isinstance(webui, str):
            return None
        return f"{self.site_url}/wiki{webui}" if webui.startswith("/") else webui

    def _get(self, path_: str, **params: Any) -> Any:
        return self.http.get(self.product, path_, params=params)

    # -- spaces --------------------------------------------------------------------------
    def list_spaces(
        self,
        *,
        limit: int = 25,
        space_type: str | None = None,
        status: str | None = "current",
        cursor: str | None = None,
        keys: list[str] | None = None,
    ) -> dict[str, Any]:
        """Spaces, one page (GET /spaces); remembers each space's key -> id."""
        data = _paged(self._get(V2 + "/spaces", limit=limit, type=space_type, status=status, cursor=cursor, keys=",".join(keys) if keys else None))
        with self._lock:
            for space in data.get("results") or []:
                if space.get("key") and space.get("id"):
                    self._spaces[space["key"]] = {k: space.get(k) for k in ("id", "key", "name")}
        return data

    def space_by_key(self, key: str) -> dict[str, Any]:
        """{id, key, name} of a space key, cached for the life of the process."""
        with self._lock:
            found = self._spaces.get(key)
        if found is None:
            self.list_spaces(keys=[key], limit=1, status=None)
            with self._lock:
                found = self._spaces.get(key)
        if found is None:
            raise InvalidInput(f"Space {key!r} does not exist or you cannot see it; list spaces with confluence_list_spaces.")
        return found

    def space_id(self, key_or_id: str) -> str:
        """A numeric space id as given, else the id of the space with that key."""
        text = str(key_or_id).strip()
        return text if text.isdigit() else str(self.space_by_key(text)["id"])

    def get_space(self, space_id: str, *, include_icon: bool = False) -> dict[str, Any]:
        """One space by id (GET /spaces/{id})."""
        return self._get(
            path(V2 + "/spaces/{id}", id=space_id), **{"description-format": "plain", "include-icon": str(include_icon).lower(), "include-labels": "true"}
        )

    def get_space_pages(
        self, space_id: str, *, limit: int = 25, status: str | None = "current", depth: str | None = None, cursor: str | None = None
    ) -> dict[str, Any]:
        """The pages of a space, one page of results (GET /spaces/{id}/pages)."""
        return _paged(self._get(path(V2 + "/spaces/{id}/pages", id=space_id), limit=limit, status=status, depth=depth, cursor=cursor))

    # -- pages ---------------------------------------------------------------------------
    def get_page(
        self, page_id: str, *, body_format: str | None = "atlas_doc_format", version: int | None = None, include_labels: bool = True
    ) -> dict[str, Any]:
        """One page, with its body in `body_format` (None for no body), optionally at an old version (GET /pages/{id})."""
        params = {"body-format": body_format, "version": version, "include-labels": "true" if include_labels else None}
        return self._get(path(V2 + "/" + self.kind + "/{id}", id=page_id), **params)

    def find_pages(self, title: str, *, space_id: str | None = None, limit: int = 25) -> dict[str, Any]:
        """Pages whose title is exactly `title` (GET /pages), in one space or all you can see."""
        return _paged(self._get(V2 + "/pages", title=title, **{"space-id": space_id}, status="current", limit=limit))

    def direct_children(self, page_id: str, *, limit: int = 25, cursor: str | None = None) -> dict[str, Any]:
        """A page's children in their order in the tree, one page of results (GET /pages/{id}/direct-children)."""
        return _paged(self._get(path(V2 + "/pages/{id}/direct-children", id=page_id), limit=limit, cursor=cursor, sort="child-position"))

    def descendants(self, page_id: str, *, depth: int = 2, limit: int = 100, cursor: str | None = None) -> dict[str, Any]:
        """A page's descendants down to `depth`, one page of results (GET /pages/{id}/descendants)."""
        return _paged(self._get(path(V2 + "/pages/{id}/descendants", id=page_id), depth=depth, limit=limit, cursor=cursor))

    def create_page(self, space_id: str, title: str, body: dict[str, str], *, parent_id: str | None = None) -> dict[str, Any]:
        """Create a page in a space, under `parent_id` when given (POST /pages)."""
        payload = {"spaceId": space_id, "status": "current", "title": title, "parentId": parent_id, "body": body}
        return self.http.post(self.product, V2 + "/" + self.kind, json={k: v for k, v in payload.items() if v is not None})

    def update_page(
        self, page_id: str, *, title: str | None, body: dict[str, str], version: int, message: str | None = None, based_on: int | None = None
    ) -> dict[str, Any]:
        """PUT a new version (`version` is the new number); a 409 becomes VersionConflict naming who changed it."""
        payload: dict[str, Any] = {"id": page_id, "status": "current", "title": title, "body": body, "version": {"number": version}}
        if message:
            payload["version"]["message"] = message

        def landed(error: ApiError) -> dict[str, Any] | None:
            """A 409 after an unanswered try: our own version, by us, means the earlier try saved the page."""
            if error.status != 409:
                return None
            page = self.get_page(page_id, body_format=None, include_labels=False)
            saved = page.get("version") or {}
            author = saved.get("authorId")
            return page if saved.get("number") == version and author and author == self.my_account_id() else None

        try:
            return self.http.put(self.product, path(V2 + "/" + self.kind + "/{id}", id=page_id), json=payload, landed=landed)
        except ApiError as exc:
            if exc.status != 409:
                raise
            self.raise_conflict(page_id, based_on if based_on is not None else version - 1)
            raise  # not reached

    def my_account_id(self) -> str | None:
        """The signed-in user's account id (read once)."""
        if self._me is None:
            self._me = str((self.http.get(self.product, V1 + "/user/current") or {}).get("accountId") or "")
        return self._me or None

    def raise_conflict(self, page_id: str, based_on: int | None, current: dict[str, Any] | None = None) -> None:
        """Raise VersionConflict for a write based on an old version, naming who made the current one."""
        if current is None:
            current = (self.get_page(page_id, body_format=None, include_labels=False).get("version")) or {}
        author = current.get("authorId")
        raise VersionConflict(page_id, based_on, current, self.user_names([author]).get(author) if author else None)

    def move_page(self, page_id: str, position: str, target_id: str) -> Any:
        """v1 move (v2 has none): `append` makes it a child of the target, `before`/`after` a sibling."""
        template = V1 + "/content/{pageId}/move/{position}/{targetId}"
        return self.http.put(self.product, path(template, pageId=page_id, position=position, targetId=target_id))

    def delete_page(self, page_id: str) -> None:
        """Moves the page to the space's trash (no purge)."""
        self.http.delete(self.product, path(V2 + "/pages/{id}", id=page_id))

    # -- search (v1 CQL) -------------------------------------------------------------------
    def search(self, cql: str, *, limit: int = 10, cursor: str | None = None) -> dict[str, Any]:
        """Content matching a CQL query, one page (GET /wiki/rest/api/search, v1)."""
        params = {"cql": cql, "limit": limit, "cursor": cursor, "next": "true" if cursor else None, "excerpt": "highlight"}
        return _paged(self._get(V1 + "/search", **params))

    # -- comments --------------------------------------------------------------------------
    def page_comments(self, page_id: str, kind: str, *, limit: int = 25, cursor: str | None = None, resolution: str | None = None) -> dict[str, Any]:
        """Top-level footer or inline comments of a page (kind: footer | inline), bodies as ADF."""
        params = {"body-format": "atlas_doc_format", "limit": limit, "cursor": cursor, "resolution-status": resolution}
        return _paged(self._get(path(V2 + "/pages/{id}/" + kind + "-comments", id=page_id), **params))

    def get_comment(self, comment_id: str, kind: str) -> dict[str, Any]:
        """One footer or inline comment (`kind`) with its ADF body."""
        return self._get(path(V2 + "/" + kind + "-comments/{id}", id=comment_id), **{"body-format": "atlas_doc_format"})

    def comment_replies(self, comment_id: str, kind: str, *, limit: int = 25, cursor: str | None = None) -> dict[str, Any]:
        """The replies to a footer or inline comment, one page."""
        return _paged(
            self._get(path(V2 + "/" + kind + "-comments/{id}/children", id=comment_id), **{"body-format": "atlas_doc_format", "limit": limit, "cursor": cursor})
        )

    def add_footer_comment(self, body: dict[str, str], *, page_id: str | None = None, parent_comment_id: str | None = None) -> dict[str, Any]:
        """Add a footer comment to a page, or a reply to `parent_comment_id` (POST /footer-comments)."""
        payload = {"pageId": page_id, "parentCommentId": parent_comment_id, "body": body}
        return self.http.post(self.product, V2 + "/footer-comments", json={k: v for k, v in payload.items() if v is not None})

    def add_inline_comment(self, page_id: str, body: dict[str, str], selection: str, match_count: int, match_index: int) -> dict[str, Any]:
        """Comment on the `match_index`-th of `match_count` occurrences of `selection` in a page (POST /inline-comments)."""
        props = {"textSelection": selection, "textSelectionMatchCount": match_count, "textSelectionMatchIndex": match_index}
        return self.http.post(self.product, V2 + "/inline-comments", json={"pageId": page_id, "body": body, "inlineCommentProperties": props})

    # -- labels ----------------------------------------------------------------------------
    def page_labels(self, page_id: str, *, limit: int = 25, cursor: str | None = None) -> dict[str, Any]:
        """A page's labels, one page (GET /pages/{id}/labels)."""
        return _paged(self._get(path(V2 + "/pages/{id}/labels", id=page_id), limit=limit, cursor=cursor))

    def labels(self, *, prefix: str | None = None, limit: int = 25, cursor: str | None = None) -> dict[str, Any]:
        """Labels of the site, optionally by prefix, one page (GET /labels)."""
        return _paged(self._get(V2 + "/labels", prefix=prefix, limit=limit, cursor=cursor))

    def label_pages(self, label_id: str, *, space_id: str | None = None, limit: int = 25, cursor: str | None = None) -> dict[str, Any]:
        """The pages carrying a label, optionally in one space, one page (GET /labels/{id}/pages)."""
        return _paged(self._get(path(V2 + "/labels/{id}/pages", id=label_id), **{"space-id": space_id}, limit=limit, cursor=cursor))

    def add_labels(self, page_id: str, names: list[str]) -> dict[str, Any]:
        """v1 (v2 cannot write labels): add global labels to a page."""
        body = [{"prefix": "global", "name": n} for n in names]
        return self.http.post(self.product, path(V1 + "/content/{id}/label", id=page_id), json=body)

    def remove_label(self, page_id: str, name: str) -> None:
        """v1: the query-parameter form, which also works for names the path form refuses."""
        self.http.delete(self.product, path(V1 + "/content/{id}/label", id=page_id), params={"name": name})

    # -- attachments -------------------------------------------------------------------------
    def page_attachments(self, page_id: str, *, limit: int = 25, cursor: str | None = None, filename: str | None = None) -> dict[str, Any]:
        """A page's attachments, optionally by file name, one page (GET /pages/{id}/attachments)."""
        return _paged(self._get(path(V2 + "/pages/{id}/attachments", id=page_id), limit=limit, cursor=cursor, filename=filename))

    def get_attachment(self, attachment_id: str) -> dict[str, Any]:
        """One attachment's details (GET /attachments/{id})."""
        return self._get(path(V2 + "/attachments/{id}", id=attachment_id))

    def download_attachment(self, page_id: str, attachment_id: str, max_bytes: int | None = None) -> tuple[bytes, str]:
        """The file's bytes and media type (v1 download, which redirects to a signed media URL; v2 has none).

        Reading stops at `max_bytes` (default ATLASSIAN_MAX_DOWNLOAD_MB) with TooLarge, whatever the metadata said.
        """
        template = V1 + "/content/{id}/child/attachment/{attachmentId}/download"
        response = self.http.request(
            "GET",
            self.product,
            path(template, id=page_id, attachmentId=attachment_id),
            raw=True,
            headers={"Accept": "*/*"},
            follow_offsite=True,
            max_bytes=max_bytes,
        )
        return response.content, response.headers.get("Content-Type", "application/octet-stream").split(";")[0].strip()

    def upload_attachment(self, page_id: str, filename: str, data: bytes, *, media_type: str, comment: str | None = None) -> dict[str, Any]:
        """v1 multipart upload (v2 has none); Confluence demands the XSRF opt-out header.

        `data` is held as bytes (a stream is read once, here), so a retried request sends the whole file again.
        """
        data = body_bytes(data)
        files: list[tuple[str, Any]] = [("file", (filename, bytes(data), media_type)), ("minorEdit", (None, "true"))]
        if comment:
            files.append(("comment", (None, comment)))
        headers = {"X-Atlassian-Token": "no-check"}
        return self.http.post(self.product, path(V1 + "/content/{id}/child/attachment", id=page_id), files=files, headers=headers)

    # -- versions and users ------------------------------------------------------------------
    def page_versions(self, page_id: str, *, limit: int = 25, cursor: str | None = None) -> dict[str, Any]:
        """A page's versions, newest first, one page (GET /pages/{id}/versions)."""
        return _paged(self._get(path(V2 + "/pages/{id}/versions", id=page_id), limit=limit, cursor=cursor, sort="-modified-date"))

    def user_names(self, account_ids: Iterable[str | None]) -> dict[str, str]:
        """Account id -> display name (POST /users-bulk), cached; unknown ids are left out."""
        wanted = sorted({a for a in account_ids if isinstance(a, str) and a})
        with self._lock:
            missing = [a for a in wanted if a not in self._users]
        for start in range(0, len(missing), 250):
            data = self.http.post(self.product, V2 + "/users-bulk", json={"accountIds": missing[start : start + 250]}, idempotent=True)
            with self._lock:
                for user in (data or {}).get("results") or []:
                    if user.get("accountId"):
                        self._users[user["accountId"]] = user.get("displayName") or user.get("publicName") or user["accountId"]
        with self._lock:
            return {a: self._users[a] for a in wanted if a in self._users}

    # -- blog posts, folders, copies, templates, attachment removal ----------------------------
    def blog_posts(self) -> ConfluenceClient:
        """This client, reading and writing blog posts where it reads and writes pages (get_page,
        create_page, update_page, raise_conflict): one write path, one set of version rules."""
        import copy

        view = copy.copy(self)  # shares the HTTP core, lock and caches
        view.kind = "blogposts"
        return view

    def list_blog_posts(self, *, space_id: str | None = None, title: str | None = None, limit: int = 25, cursor: str | None = None) -> dict[str, Any]:
        """Blog posts, newest first, optionally of one space or with an exact title, one page (GET /blogposts)."""
        params = {"space-id": space_id, "title": title, "status": "current", "sort": "-created-date", "limit": limit, "cursor": cursor}
        return _paged(self._get(V2 + "/blogposts", **params))

    def get_folder(self, folder_id: str) -> dict[str, Any]:
        """One folder (GET /folders/{id})."""
        return self._get(path(V2 + "/folders/{id}", id=folder_id))

    def create_folder(self, space_id: str, title: str, *, parent_id: str | None = None) -> dict[str, Any]:
        """Create a folder in a space, under a page or folder when given (POST /folders)."""
        payload = {"spaceId": space_id, "title": title, "parentId": parent_id}
        return self.http.post(self.product, V2 + "/folders", json={k: v for k, v in payload.items() if v is not None})

    def copy_page(self, page_id: str, destination: dict[str, str], *, title: str | None = None, **copy_flags: bool) -> dict[str, Any]:
        """v1 copy of one page (v2 has none) to a space or under a parent page (POST /content/{id}/copy)."""
        body: dict[str, Any] = {"destination": destination, **copy_flags}
        if title:
            body["pageTitle"] = title
        return self.http.post(self.product, path(V1 + "/content/{id}/copy", id=page_id), json=body)

    def copy_hierarchy(self, page_id: str, destination_page_id: str, *, title_prefix: str | None = None, **copy_flags: bool) -> dict[str, Any]:
        """v1 copy of a page with all its descendants under another page; Confluence answers a long task (POST /content/{id}/pagehierarchy/copy)."""
        body: dict[str, Any] = {"destinationPageId": destination_page_id, "copyDescendants": True, **copy_flags}
        if title_prefix:
            body["titleOptions"] = {"prefix": title_prefix}
        return self.http.post(self.product, path(V1 + "/content/{id}/pagehierarchy/copy", id=page_id), json=body)

    def templates(self, *, space_key: str | None = None, start: int = 0, limit: int = 25) -> dict[str, Any]:
        """Page templates of a space, or the site's global ones (v1 GET /template/page; v2 has none)."""
        return self._get(V1 + "/template/page", spaceKey=space_key, start=start, limit=limit)

    def template(self, template_id: str) -> dict[str, Any]:
        """One template with its storage body (v1 GET /template/{id})."""
        return self._get(path(V1 + "/template/{id}", id=template_id), expand="body")

    def delete_attachment(self, attachment_id: str) -> None:
        """Move an attachment to the trash (DELETE /attachments/{id})."""
        self.http.delete(self.product, path(V2 + "/attachments/{id}", id=attachment_id))
