"""Every text a mutation receives is capped before the mutation runs.

Services check the fields they know (``services.input_limits``), but a field forgotten
there reached PostgreSQL: an over-long value, or a NUL (which PostgreSQL refuses in
text), answered ``INTERNAL_SERVER_ERROR``. Here, before any resolver runs, every string
given to a mutation — each argument and each input-object field, at any depth, literal
or variable — is held to its cap (``services.input_limits.FIELD_CAPS``, by field name)
and to the characters text may hold. Any problem refuses the whole request:
``VALIDATION_FAILED`` with every problem's path, code and Spanish message; nothing runs,
nothing is stored.
"""

from __future__ import annotations

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


def refusal(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
) -> ExecutionResult | None:
    """The answer refusing a mutation with an over-long or binary text, or None."""
    root = schema.mutation_type
    if root is None:
        return None
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
        found = list(_argument_problems(node, field.args, given))
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
    node: FieldNode, arguments: Mapping[str, Any], variables: Mapping[str, Any]
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
        yield from _value_problems(declared.type, value, (name,))


def _value_problems(kind: GraphQLInputType, value: Any, path: Path) -> Iterator[FieldProblem]:
    """Problems of ``value`` as the (not yet coerced) input of type ``kind``; values of
    the wrong shape are left to coercion, which refuses them with its own answer."""
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    if isinstance(kind, GraphQLList):
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            yield from _value_problems(
                kind.of_type, item, (*path, index) if items is value else path
            )
    elif isinstance(kind, GraphQLInputObjectType):
        if isinstance(value, dict):
            for name, field in kind.fields.items():
                if name in value:
                    yield from _value_problems(field.type, value[name], (*path, name))
    elif isinstance(value, str) and not isinstance(kind, GraphQLEnumType | GraphQLObjectType):
        name = next((p for p in reversed(path) if isinstance(p, str)), "")
        problem = text_problem(path, value, FIELD_CAPS.get(name, DEFAULT_TEXT))
        if problem is not None:
            yield problem
