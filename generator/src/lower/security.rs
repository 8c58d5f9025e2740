//! Security: `components/securitySchemes` to the schemes the generated
//! `Auth` can set, and each operation's `security` (or the document's) to
//! the alternatives it accepts.
//!
//! A scheme the client cannot send (an HTTP scheme other than Basic, Bearer
//! and Digest) is left out with a warning, and so is every alternative that
//! needs it or names no scheme of the document: those can never be sent.

use openapiv3::{APIKeyLocation, SecurityRequirement, SecurityScheme as Declared};

use super::refs::resolve_component;
use super::{Lowerer, prose};
use crate::error::{Error, Pointer};
use crate::model::{
    Fallback, KeyLocation, Operation, Requirement, SchemeKind, SecurityScheme, TokenUrl,
};
use crate::names::{self, Scope};

/// `Auth`'s own methods, which no scheme's method may take.
const RESERVED_AUTH_METHODS: &[&str] =
    &["clone", "default", "fmt", "from", "from_env", "into", "new"];

impl Lowerer<'_> {
    /// The schemes the client can send, in the description's order.
    fn security_schemes(&mut self) -> Result<Vec<SecurityScheme>, Error> {
        let Some(components) = &self.doc.components else {
            return Ok(Vec::new());
        };
        let section = &components.security_schemes;
        let mut method_names = Scope::with_reserved(RESERVED_AUTH_METHODS);
        let mut schemes = Vec::new();
        for (name, declared) in section {
            let at = Pointer::root()
                .join("components")
                .join("securitySchemes")
                .join(name);
            let declared = resolve_component(Some(section), "securitySchemes", declared, &at)?;
            let Some(kind) = self.scheme_kind(declared, &at) else {
                continue;
            };
            schemes.push(SecurityScheme {
                name: name.clone(),
                method_name: method_names.claim(names::snake(name)),
                description: prose(description(declared)),
                kind,
            });
        }
        // A scheme's own name wins over another's derived one.
        for scheme in &mut schemes {
            if let SchemeKind::ClientCredentials {
                with_method,
                token_method,
                ..
            } = &mut scheme.kind
            {
                let base = scheme.method_name.trim_start_matches("r#");
                *with_method = method_names.claim(format!("{base}_with"));
                *token_method = method_names.claim(format!("{base}_token"));
            }
        }
        Ok(schemes)
    }

    fn scheme_kind(&mut self, declared: &Declared, at: &Pointer) -> Option<SchemeKind> {
        match declared {
            Declared::APIKey { location, name, .. } => Some(SchemeKind::ApiKey {
                location: match location {
                    APIKeyLocation::Header => KeyLocation::Header,
                    APIKeyLocation::Query => KeyLocation::Query,
                    APIKeyLocation::Cookie => KeyLocation::Cookie,
                },
                name: name.clone(),
            }),
            Declared::HTTP {
                scheme,
                bearer_format,
                ..
            } => match scheme.to_ascii_lowercase().as_str() {
                "basic" => Some(SchemeKind::Basic),
                "bearer" => Some(SchemeKind::Bearer {
                    format: bearer_format.clone(),
                }),
                "digest" => Some(SchemeKind::Digest),
                other => {
                    self.left_out(
                        &at.join("scheme"),
                        format!("HTTP authentication scheme `{other}` is not supported; the security scheme is left out"),
                    );
                    None
                }
            },
            Declared::OAuth2 { flows, .. } => Some(match &flows.client_credentials {
                Some(flow) => SchemeKind::ClientCredentials {
                    token_url: self.token_url(&flow.token_url),
                    scopes: Vec::new(),
                    with_method: String::new(),
                    token_method: String::new(),
                },
                None => {
                    let flow = [
                        (
                            flows.authorization_code.is_some(),
                            "an OAuth 2.0 authorization code flow",
                        ),
                        (flows.implicit.is_some(), "an OAuth 2.0 implicit flow"),
                        (flows.password.is_some(), "an OAuth 2.0 password flow"),
                    ]
                    .into_iter()
                    .find_map(|(declared, flow)| declared.then_some(flow))
                    .unwrap_or("an OAuth 2.0 flow");
                    SchemeKind::AccessToken {
                        flow: flow.to_owned(),
                    }
                }
            }),
            Declared::OpenIDConnect { .. } => Some(SchemeKind::AccessToken {
                flow: "OpenID Connect".to_owned(),
            }),
        }
    }

    /// A token URL on the description's first server (or relative to it)
    /// follows the client's base URL; any other is used as it is.
    fn token_url(&self, url: &str) -> TokenUrl {
        if !url.contains("://") {
            return TokenUrl::OnServer(format!("/{}", url.trim_start_matches('/')));
        }
        let server = self
            .doc
            .servers
            .first()
            .map(|server| server.url.trim_end_matches('/'));
        match server.and_then(|server| url.strip_prefix(server)) {
            Some(path) if path.starts_with('/') => TokenUrl::OnServer(path.to_owned()),
            _ => TokenUrl::Absolute(url.to_owned()),
        }
    }

    /// The schemes and the document's own `security`, which operations
    /// without one inherit, read once before the operations.
    pub(super) fn read_security(&mut self) -> Result<(), Error> {
        self.security_schemes = self.security_schemes()?;
        if let Some(requirements) = &self.doc.security {
            self.document_security = requirements_of(
                requirements,
                &self.security_schemes,
                &Pointer::root().join("security"),
                &mut self.fallbacks,
            );
        }
        Ok(())
    }

    /// An operation's alternatives: its own `security`, else the document's.
    pub(super) fn operation_security(
        &mut self,
        operation: &openapiv3::Operation,
        at: &Pointer,
    ) -> Vec<Requirement> {
        match &operation.security {
            Some(requirements) => requirements_of(
                requirements,
                &self.security_schemes,
                &at.join("security"),
                &mut self.fallbacks,
            ),
            None => self.document_security.clone(),
        }
    }
}

/// The alternatives of `requirements` that name only `schemes`; each other
/// one is left out with a warning.
fn requirements_of(
    requirements: &[SecurityRequirement],
    schemes: &[SecurityScheme],
    at: &Pointer,
    fallbacks: &mut Vec<Fallback>,
) -> Vec<Requirement> {
    let mut kept = Vec::new();
    for (index, requirement) in requirements.iter().enumerate() {
        let unknown = requirement
            .keys()
            .find(|name| !schemes.iter().any(|scheme| &scheme.name == *name));
        match unknown {
            Some(name) => fallbacks.push(Fallback {
                pointer: at.join(index).join(name).to_string(),
                reason: format!(
                    "no security scheme `{name}` the client can send; this alternative is left out"
                ),
                operation_left_out: false,
            }),
            None => kept.push(
                requirement
                    .iter()
                    .map(|(name, scopes)| (name.clone(), scopes.clone()))
                    .collect(),
            ),
        }
    }
    kept
}

fn description(declared: &Declared) -> Option<&String> {
    match declared {
        Declared::APIKey { description, .. }
        | Declared::HTTP { description, .. }
        | Declared::OAuth2 { description, .. }
        | Declared::OpenIDConnect { description, .. } => description.as_ref(),
    }
}

/// Each client-credentials scheme asks for every scope an operation needs
/// of it, in the order they first appear, so one cached token serves every
/// call.
pub(super) fn collect_scopes(schemes: &mut [SecurityScheme], operations: &[Operation]) {
    for scheme in schemes {
        let SchemeKind::ClientCredentials { scopes, .. } = &mut scheme.kind else {
            continue;
        };
        let needed = operations
            .iter()
            .flat_map(|operation| &operation.security)
            .flatten()
            .filter(|(name, _)| *name == scheme.name)
            .flat_map(|(_, needed)| needed);
        for scope in needed {
            if !scopes.contains(scope) {
                scopes.push(scope.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::*;

    fn with_security(schemes: &str, security: &str, operations: &str) -> String {
        let indent = |text: &str, by: usize| -> String {
            text.lines()
                .map(|line| format!("{}{line}\n", " ".repeat(by)))
                .collect()
        };
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\nservers: [{{url: 'https://api.example.com/v1'}}]\n{security}\npaths:\n{}components:\n  securitySchemes:\n{}",
            indent(operations, 2),
            indent(schemes, 4)
        )
    }

    const SCHEMES: &str = "\
key: {type: apiKey, in: query, name: api_key}
onServer: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://api.example.com/v1/auth/token', scopes: {a: A, b: B}}}}
elsewhere: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://api.example.com.evil/token', scopes: {}}}}
relative: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'token', scopes: {}}}}
hoba: {type: http, scheme: hoba}";

    #[test]
    fn token_urls_on_the_server_follow_the_base_url_and_others_stay() {
        let outline = lowered(&with_security(SCHEMES, "", "{}"));
        has_lines(
            &outline,
            r#"
security scheme "onServer" (on_server): OAuth 2.0 client credentials at /auth/token on the server (also on_server_with, on_server_token)
security scheme "elsewhere" (elsewhere): OAuth 2.0 client credentials at https://api.example.com.evil/token (also elsewhere_with, elsewhere_token)
security scheme "relative" (relative): OAuth 2.0 client credentials at /token on the server (also relative_with, relative_token)
fallback #/components/securitySchemes/hoba/scheme: HTTP authentication scheme `hoba` is not supported; the security scheme is left out
"#,
        );
    }

    #[test]
    fn operations_inherit_or_override_the_document_and_drop_what_cannot_be_sent() {
        let operations = "\
/inherits:
  get: {operationId: inherits, responses: {'204': {description: ok}}}
/own:
  get:
    operationId: own
    security: [{onServer: [a]}, {hoba: []}, {key: [], onServer: [b]}]
    responses: {'204': {description: ok}}
/none:
  get: {operationId: none, security: [], responses: {'204': {description: ok}}}
";
        let outline = lowered(&with_security(
            SCHEMES,
            "security: [{key: []}, {}]",
            operations,
        ));
        has_lines(
            &outline,
            r#"
  security key | anonymous
  security onServer ["a"] | key + onServer ["b"]
fallback #/paths/~1own/get/security/1/hoba: no security scheme `hoba` the client can send; this alternative is left out
security scheme "onServer" (on_server): OAuth 2.0 client credentials at /auth/token on the server, scopes ["a", "b"] (also on_server_with, on_server_token)
"#,
        );
        let none = outline
            .split("operation none")
            .nth(1)
            .unwrap_or_default()
            .lines()
            .skip(1)
            .take_while(|line| line.starts_with("  "))
            .collect::<Vec<_>>();
        assert!(
            !none.iter().any(|line| line.contains("security")),
            "{none:?}"
        );
    }

    #[test]
    fn method_names_stay_clear_of_auths_own_and_of_each_other() {
        let schemes = "\
new: {type: http, scheme: bearer}
oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: /t, scopes: {}}}}
oauth_token: {type: http, scheme: basic}";
        let outline = lowered(&with_security(schemes, "", "{}"));
        has_lines(
            &outline,
            r#"
security scheme "new" (new2): HTTP Bearer
security scheme "oauth" (oauth): OAuth 2.0 client credentials at /t on the server (also oauth_with, oauth_token2)
security scheme "oauth_token" (oauth_token): HTTP Basic
"#,
        );
    }
}
