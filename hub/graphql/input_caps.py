"""Every text a mutation receives is capped before the mutation runs; no query
argument may hold a control character.

Services check the fields they know (``services.input_limits``), but a field forgotten
there reached PostgreSQL: an over-long value, or a NUL (which PostgreSQL refuses in
text), answered ``INTERNAL_SERVER_ERROR``. Here, before any resolver runs, every string
given to a mutation — each argument and each input-object field, at any depth, literal
or variable — is held to its cap (``services.input_limits.FIELD_CAPS``, by field name)
and to the characters text may hold. Any problem refuses the whole request:
``VALIDATION_FAILED`` with every problem's path, code and Spanish message; nothing runs,
nothing is stored.

Queries are walked the same way for control characters only (a NUL in a document number
reached PostgreSQL as an internal error), and only when the request's text may hold one
(``may_hold_controls``: one regular-expression scan of the body), so that the lookups,
which never carry one, pay nothing for it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    value_from_ast_untyped,
)

from services.errors import FieldProblem, ValidationFailed
from services.input_limits import DEFAULT_TEXT, FIELD_CAPS, text_problem

Path = tuple[str | int, ...]


# A control character other than tab, line feed and carriage return: as a JSON or GraphQL
# escape (\u0000-\u001f, \u007f), or raw (a GET request's decoded query string).
_ESCAPED = r"\\u00(?:0[0-8bcefBCEF]|1[0-9a-fA-F]|7[fF])"
_ESCAPED_TEXT = re.compile(_ESCAPED)
_ESCAPED_BYTES = re.compile(_ESCAPED.encode())
_RAW_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def may_hold_controls(*texts: str | bytes) -> bool:
    """Whether any of a request's texts (its JSON body, its decoded query string, its
    GraphQL document) may carry a control character into an argument. A JSON body holds
    none raw (JSON refuses them), so a substring test at memory speed decides for nearly
    every body; the expression runs only where an escape is there at all."""
    for text in texts:
        if isinstance(text, bytes):
            if b"\\u00" in text and _ESCAPED_BYTES.search(text):
                return True
        elif ("\\u00" in text and _ESCAPED_TEXT.search(text)) or _RAW_TEXT.search(text):
            return True
    return False


def refusal(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
) -> ExecutionResult | None:
    """The answer refusing an operation with an over-long (mutations) or binary text, or
    None."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return None
    lengths = root is schema.mutation_type
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    given = dict(variables or {})
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in given and definition.default_value is not None:
            given[name] = value_from_ast_untyped(definition.default_value)
    problems: list[FieldProblem] = []
    first_key: str | None = None
    for node in _fields(operation.selection_set, fragments, set()):
        field = root.fields.get(node.name.value)
        if field is None:
            continue
        found = list(_argument_problems(node, field.args, given, lengths))
        if found and first_key is None:
            first_key = node.alias.value if node.alias else node.name.value
        problems.extend(found)
    if not problems:
        return None
    failed = ValidationFailed(problems)
    error = GraphQLError(failed.message, path=[first_key or ""], original_error=failed)
    return ExecutionResult(data=None, errors=[error])


def _fields(
    selections: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    visited: set[str],
) -> Iterator[FieldNode]:
    """The root fields of a selection set, through fragments (each fragment once)."""
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, visited)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in visited and name in fragments:
                visited.add(name)
                yield from _fields(fragments[name].selection_set, fragments, visited)


def _argument_problems(
    node: FieldNode, arguments: Mapping[str, Any], variables: Mapping[str, Any], lengths: bool
) -> Iterator[FieldProblem]:
    for argument in node.arguments or ():
        name = argument.name.value
        declared = arguments.get(name)
        if declared is None:
            continue
        if isinstance(argument.value, VariableNode):
            value = variables.get(argument.value.name.value)
        else:
            value = value_from_ast_untyped(argument.value, dict(variables))
        yield from _value_problems(declared.type, value, (name,), lengths)


def _value_problems(
    kind: GraphQLInputType, value: Any, path: Path, lengths: bool
) -> Iterator[FieldProblem]:
    """Problems of ``value`` as the (not yet coerced) input of type ``kind``; values of
    the wrong shape are left to coercion, which refuses them with its own answer."""
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    if isinstance(kind, GraphQLList):
        if not isinstance(value, list):  # one item given for a list: coerced as [value]
            yield from _value_problems(kind.of_type, value, path, lengths)
            return
        for index, item in enumerate(value):
            yield from _value_problems(kind.of_type, item, (*path, index), lengths)
    elif isinstance(kind, GraphQLInputObjectType):
        if isinstance(value, dict):
            for name, field in kind.fields.items():
                if name in value:
                    yield from _value_problems(field.type, value[name], (*path, name), lengths)
    elif isinstance(value, str) and not isinstance(kind, GraphQLEnumType | GraphQLObjectType):
        name = next((p for p in reversed(path) if isinstance(p, str)), "")
        cap = FIELD_CAPS.get(name, DEFAULT_TEXT) if lengths else sys.maxsize
        problem = text_problem(path, value, cap)
        if problem is not None:
            yield problem
