"""Extra validation rules: bound the depth of a query so one request cannot fan out forever."""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    specified_rules,
    validate,
)

MAX_DEPTH = 12


class MaxDepthRule(ValidationRule):
    """Refuse operations nested deeper than ``MAX_DEPTH`` fields (introspection included)."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        fragments = {
            d.name.value: d
            for d in self.context.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        depth = _depth(node.selection_set, fragments, 0, set())
        if depth > MAX_DEPTH:
            self.report_error(
                GraphQLError(
                    f"La consulta tiene {depth} niveles; el máximo es {MAX_DEPTH}.",
                    node,
                    extensions={"code": "QUERY_TOO_DEEP"},
                )
            )


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    level: int,
    seen: set[str],
) -> int:
    if selection_set is None:
        return level
    deepest = level
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__") and selection.name.value != "__typename":
                continue  # introspection is bounded by the schema itself
            deepest = max(deepest, _depth(selection.selection_set, fragments, level + 1, seen))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection.selection_set, fragments, level, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen or name not in fragments:
                continue
            deepest = max(
                deepest, _depth(fragments[name].selection_set, fragments, level, seen | {name})
            )
    return deepest


# What every document is checked with, before anything executes it.
RULES = (*specified_rules, MaxDepthRule)


def validate_document(schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
    return validate(schema, document, RULES)
