"""Rewriting stored articles: the groups of articles that share incidents, and removal.

:class:`Rewrites` is mixed into :class:`geodata.store._storetx.StoreTx`. Re-extracting an
article (after a user's fix, or a newer Dateline) must rewrite every incident it reports; an
incident reported by several articles was merged from all of them, in the order they were
ingested, so all of them are rewritten together. :meth:`Rewrites.linked_articles` gives those
groups (the connected parts of the article–incident graph) in ingest order, and
:meth:`Rewrites.delete_articles` removes articles with their places and incidents, so a writer can
add them again as if for the first time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from geodata.records import INCIDENT_FIELDS
from geodata.store._schema import ARTICLE_FIELDS, quoted, rows_as_dicts, utcnow

__all__ = ["Rewrites"]

# the order articles were ingested in: ``ingested_at`` ties within a batch, ``rowid`` doesn't
_INGEST_ORDER = "ingested_at, rowid"
_BEFORE = "dl_incidents_before"
# the incidents some articles report (one parameter: their ids)
_REPORTED = (
    f"SELECT {quoted(INCIDENT_FIELDS)} FROM incidents WHERE id IN (SELECT incident_id FROM"
    " incident_sources WHERE article_id IN (SELECT unnest(?::VARCHAR[])))"
)


class Rewrites:
    """The rewrite methods of :class:`~geodata.store._storetx.StoreTx` (see the module
    docstring)."""

    _c: Callable[[], Any]

    def linked_articles(self, article_ids: Iterable[str] | None = None) -> list[list[dict]]:
        """The stored articles of ``article_ids`` (all with ``None``) and every article linked to
        them through a shared incident, in groups that share no incident.

        Returns
        -------
        list of list of dict
            Each group's article rows (all :data:`ARTICLE_FIELDS`; ``published`` as
            ``YYYY-MM-DD``, ``ingested_at`` as ISO 8601; and ``ingest_order``, their rank among
            all the articles returned) in ingest order; the groups ordered by their first
            article. Ids that are not stored are left out.
        """
        cur = self._c()
        if article_ids is None:
            where, params = "", []
        else:
            wanted = list(dict.fromkeys(str(a) for a in article_ids))
            if not wanted:
                return []
            # the closure over shared incidents; UNION (not ALL) ends the recursion
            where = """WHERE id IN (
                WITH RECURSIVE linked(id) AS (
                    SELECT unnest(?::VARCHAR[])
                    UNION
                    SELECT s2.article_id FROM linked l
                    JOIN incident_sources s1 ON s1.article_id = l.id
                    JOIN incident_sources s2 ON s2.incident_id = s1.incident_id
                ) SELECT id FROM linked)"""
            params = [wanted]
        # ingested_at as text keeps its microseconds (rows_as_dicts would round it to seconds)
        cols = ", ".join(
            "CAST(ingested_at AS VARCHAR) AS ingested_at" if f == "ingested_at" else f'"{f}"'
            for f in ARTICLE_FIELDS
        )
        sql = f"SELECT {cols} FROM articles {where} ORDER BY {_INGEST_ORDER}"
        articles = rows_as_dicts(cur.execute(sql, params))
        if not articles:
            return []
        for k, art in enumerate(articles):
            art["ingest_order"] = k
        ids = [a["id"] for a in articles]
        pairs = cur.execute(
            "SELECT incident_id, article_id FROM incident_sources"
            " WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
            [ids],
        ).fetchall()
        return _groups(articles, pairs)

    def snapshot_incidents(self, article_ids: Iterable[str]) -> str:
        """Copy the incidents reported by ``article_ids`` into a temporary table, to compare
        with :meth:`incident_changes` after rewriting them; returns its name."""
        ids = list(dict.fromkeys(str(a) for a in article_ids))
        self._c().execute(f"CREATE OR REPLACE TEMP TABLE {_BEFORE} AS {_REPORTED}", [ids])
        return _BEFORE

    def incident_changes(self, snapshot: str, article_ids: Iterable[str]) -> dict[str, int]:
        """How the incidents reported by ``article_ids`` differ from the ``snapshot`` of
        :meth:`snapshot_incidents` (which is dropped): ``before``, ``after``, ``added``,
        ``removed`` (by id) and ``changed`` (same id, another value in any field)."""
        ids = list(dict.fromkeys(str(a) for a in article_ids))
        fields = [f for f in INCIDENT_FIELDS if f != "id"]
        a_row = ", ".join(f'a."{f}"' for f in fields)
        b_row = ", ".join(f'b."{f}"' for f in fields)
        cur = self._c()
        row = cur.execute(
            f"WITH a AS ({_REPORTED}) SELECT count(b.id), count(a.id),"
            " count(*) FILTER (b.id IS NULL), count(*) FILTER (a.id IS NULL),"
            " count(*) FILTER (a.id IS NOT NULL AND b.id IS NOT NULL AND"
            f" ({a_row}) IS DISTINCT FROM ({b_row}))"
            f" FROM a FULL OUTER JOIN {snapshot} b ON a.id = b.id",
            [ids],
        ).fetchone()
        cur.execute(f"DROP TABLE IF EXISTS {snapshot}")
        keys = ("before", "after", "added", "removed", "changed")
        return dict(zip(keys, (int(n) for n in row), strict=True))

    def delete_articles(
        self, article_ids: Iterable[str], *, forget_corrections: bool = False
    ) -> dict[str, int]:
        """Remove articles, their places and their reports of incidents; an incident no other
        article reports goes too. The user's corrections of them stay unless
        ``forget_corrections`` (re-extraction applies them again).

        An incident that another article still reports keeps the fields it was merged to: to
        rewrite merged incidents, delete a whole group of :meth:`linked_articles`.

        Returns
        -------
        dict
            ``{"articles", "incidents"}``: how many of each were deleted.
        """
        ids = list(dict.fromkeys(str(a) for a in article_ids))
        if not ids:
            return {"articles": 0, "incidents": 0}
        cur = self._c()
        these = "(SELECT unnest(?::VARCHAR[]))"
        touched = [
            r[0]
            for r in cur.execute(
                f"SELECT DISTINCT incident_id FROM incident_sources WHERE article_id IN {these}",
                [ids],
            ).fetchall()
        ]
        cur.execute(f"DELETE FROM incident_sources WHERE article_id IN {these}", [ids])
        gone = cur.execute(
            f"DELETE FROM incidents WHERE id IN {these} AND id NOT IN"
            " (SELECT incident_id FROM incident_sources) RETURNING id",
            [touched],
        ).fetchall()
        kept = sorted(set(touched) - {r[0] for r in gone})
        if kept:
            _renumber_sources(cur, kept)
        cur.execute(f"DELETE FROM places WHERE article_id IN {these}", [ids])
        if forget_corrections:
            cur.execute(f"DELETE FROM corrections WHERE article_id IN {these}", [ids])
        deleted = cur.execute(
            f"DELETE FROM articles WHERE id IN {these} RETURNING id", [ids]
        ).fetchall()
        return {"articles": len(deleted), "incidents": len(gone)}


def _renumber_sources(cur: Any, incident_ids: list[str]) -> None:
    """After some of their sources went: number the sources of ``incident_ids`` 0, 1, … again
    and set the columns the store keeps from them (the count of articles, the first one and its
    title and url)."""
    these = "(SELECT unnest(?::VARCHAR[]))"
    cur.execute(
        "UPDATE incident_sources SET position = r.pos FROM (SELECT rowid AS rid, row_number()"
        " OVER (PARTITION BY incident_id ORDER BY position) - 1 AS pos FROM incident_sources"
        f" WHERE incident_id IN {these}) r WHERE incident_sources.rowid = r.rid",
        [incident_ids],
    )
    cur.execute(
        "UPDATE incidents SET n_sources = s.n, first_article_id = s.first, title = s.title,"
        " url = s.url, updated_at = ?::TIMESTAMP FROM (SELECT x.incident_id, x.n, x.first, a.title,"
        " a.url FROM (SELECT incident_id, count(DISTINCT article_id) AS n,"
        " arg_min(article_id, position) AS first FROM incident_sources"
        f" WHERE incident_id IN {these} GROUP BY incident_id) x"
        " LEFT JOIN articles a ON a.id = x.first) s WHERE incidents.id = s.incident_id",
        [utcnow(), incident_ids],
    )


def _groups(articles: list[dict], pairs: list[tuple[str, str]]) -> list[list[dict]]:
    """Split ``articles`` (in ingest order) into the groups that ``(incident, article)``
    pairs connect (union-find), each in ingest order, ordered by their first article."""
    parent = {a["id"]: a["id"] for a in articles}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving keeps the trees flat
            x = parent[x]
        return x

    first: dict[str, str] = {}  # incident → the first article seen reporting it
    for incident, article in pairs:
        if article not in parent:
            continue
        other = first.setdefault(incident, article)
        a, b = root(article), root(other)
        if a != b:
            parent[b] = a
    groups: dict[str, list[dict]] = {}
    for art in articles:
        groups.setdefault(root(art["id"]), []).append(art)
    return list(groups.values())  # dicts keep insertion order: by each group's first article
