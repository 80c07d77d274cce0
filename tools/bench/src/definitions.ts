// Small but real API definitions: an OpenAPI document, a protobuf service, a GraphQL schema.
import type { ApiType } from './vocabulary.js';
import { pascalCase, singular, titleCase } from './text.js';

export interface DefinitionInput {
  type: ApiType;
  /** The API entity's name. */
  name: string;
  /** What it serves, plural (`orders`). */
  noun: string;
  /** The system (or area) the API belongs to, used for the protobuf package. */
  stem: string;
  major: number;
  minor: number;
}

function openapi({ name, noun, major, minor }: DefinitionInput): string {
  const one = singular(noun);
  return `openapi: 3.0.3
info:
  title: ${titleCase(name)}
  version: ${major}.${minor}.0
paths:
  /${noun}:
    get:
      summary: List ${noun}
      parameters:
        - { name: cursor, in: query, schema: { type: string } }
      responses:
        '200':
          description: A page of ${noun}
  /${noun}/{id}:
    get:
      summary: Get one ${one}
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: The ${one}
        '404':
          description: No such ${one}
`;
}

function grpc({ noun, stem, major }: DefinitionInput): string {
  const one = pascalCase(singular(noun));
  const many = pascalCase(noun);
  return `syntax = "proto3";

package acme.${stem.replace(/-/g, '_')}.v${major};

service ${many}Service {
  rpc Get${one}(Get${one}Request) returns (${one});
  rpc List${many}(List${many}Request) returns (List${many}Response);
}

message ${one} {
  string id = 1;
  string name = 2;
}

message Get${one}Request {
  string id = 1;
}

message List${many}Request {
  int32 page_size = 1;
  string page_token = 2;
}

message List${many}Response {
  repeated ${one} ${noun} = 1;
  string next_page_token = 2;
}
`;
}

function graphql({ noun }: DefinitionInput): string {
  const one = singular(noun);
  const type = pascalCase(one);
  return `type ${type} {
  id: ID!
  name: String!
  updatedAt: String
}

type Query {
  ${one}(id: ID!): ${type}
  ${noun}(first: Int, after: String): [${type}!]!
}
`;
}

export function apiDefinition(input: DefinitionInput): string {
  if (input.type === 'grpc') return grpc(input);
  if (input.type === 'graphql') return graphql(input);
  return openapi(input);
}
