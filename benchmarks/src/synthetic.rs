//! Synthetic specs of any number of operations, for measuring how the
//! generator's cost grows. Every operation brings the same amount of work
//! (a path, a parameter or two, a schema of its own), so a generator whose
//! cost is linear takes ten times as long for ten times the operations.

use std::fmt::Write;

/// An OpenAPI 3.0 document with `operations` operations, alternating a `GET`
/// with a path parameter and a query parameter, and a `POST` with a JSON
/// body; each has its own response schema with a nested object, an enum and
/// an array.
pub fn spec(operations: usize) -> String {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo:\n  title: Synthetic\n  version: '1.0'\nservers:\n  - url: https://api.example.com\npaths:\n",
    );
    for index in 0..operations {
        if index % 2 == 0 {
            write!(
                text,
                "  /resources{index}/{{id}}:\n    get:\n      operationId: getResource{index}\n      summary: Returns resource {index}.\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n        - {{name: limit, in: query, schema: {{type: integer, format: int32, minimum: 1, maximum: 500}}}}\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Resource{index}'}}\n        '404':\n          description: Not found\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Problem'}}\n"
            )
        } else {
            write!(
                text,
                "  /resources{index}:\n    post:\n      operationId: createResource{index}\n      summary: Creates resource {index}.\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/Resource{index}'}}\n      responses:\n        '201':\n          description: Created\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Resource{index}'}}\n        '400':\n          description: Bad request\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Problem'}}\n"
            )
        }
        .expect("writing to a String cannot fail");
    }
    text.push_str(
        "components:\n  schemas:\n    Problem:\n      type: object\n      required: [code]\n      properties:\n        code: {type: string}\n        detail: {type: string}\n",
    );
    for index in 0..operations {
        write!(
            text,
            "    Resource{index}:\n      type: object\n      description: Resource number {index}.\n      required: [name]\n      properties:\n        id: {{type: string, readOnly: true}}\n        name: {{type: string, maxLength: 250}}\n        size: {{type: integer, format: int64}}\n        state: {{type: string, enum: [ACTIVE, REVOKED]}}\n        tags:\n          type: array\n          items: {{type: string}}\n        owner:\n          type: object\n          properties:\n            email: {{type: string}}\n            since: {{type: string, format: date-time}}\n"
        )
        .expect("writing to a String cannot fail");
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_synthetic_spec_generates_one_method_per_operation() {
        let files = client_generator::generate(&super::spec(4), &crate::own_input().options)
            .expect("a synthetic spec generates");
        let operations = &files
            .iter()
            .find(|file| file.path == "src/operations.rs")
            .expect("an operations file")
            .contents;
        for method in [
            "get_resource0",
            "create_resource1",
            "get_resource2",
            "create_resource3",
        ] {
            assert!(operations.contains(&format!("pub fn {method}")), "{method}");
        }
    }
}
