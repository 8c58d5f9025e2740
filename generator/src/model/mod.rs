//! The intermediate model: what the client is, with OpenAPI's indirection
//! resolved and Rust names chosen.
//!
//! Lowering fills it from an `openapiv3` document; emission reads only this.
//! It is small on purpose: every `$ref` is resolved, every name is final and
//! unique in its scope, and every list is in a deterministic order.
//! `rust` says how it is written in Rust, for emission and the change
//! summary alike; `outline` prints it a line per item, for review.

mod outline;
mod reach;
mod rust;
mod security;

pub use outline::outline;
pub use reach::walk;
pub use rust::TYPES_MODULE;
pub use security::{KeyLocation, Requirement, SchemeKind, SecurityScheme, TokenUrl};

/// A whole client crate's worth of API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The spec's `info.title`.
    pub title: String,
    /// The spec's `info.description`.
    pub description: Option<String>,
    /// The spec's `info.version`.
    pub version: String,
    /// The first server URL, the client's default base URL.
    pub base_url: Option<String>,
    /// Named types, sorted by name.
    pub types: Vec<TypeDef>,
    /// Operations, in the spec's path order and then method order; an
    /// operation offered in several API versions appears once per version,
    /// newest stable first and preview last.
    pub operations: Vec<Operation>,
    /// The security schemes the client can send, in the description's order.
    pub security_schemes: Vec<SecurityScheme>,
    /// The crate's Cargo features: one per tag, in the description's order,
    /// one for untagged operations and one for the types no operation uses,
    /// if there are any. All are on by default.
    pub features: Vec<Feature>,
    /// The names of the description's webhooks: requests the API sends,
    /// which a client does not make.
    pub webhooks: Vec<String>,
    /// Constructs the model could not say, each typed as any JSON value (or
    /// left out) instead: where, and why. Reported as warnings; emission
    /// does not read them.
    pub fallbacks: Vec<Fallback>,
}

/// A Cargo feature of the generated crate: the operations of one tag,
/// with their builders, mocks and the types they reach.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The feature's name, unique among the crate's features.
    pub name: String,
    pub of: FeatureOf,
}

/// What a feature compiles.
#[derive(Debug, Clone, PartialEq)]
pub enum FeatureOf {
    /// The operations of a tag.
    Tag {
        name: String,
        /// The tag's description, for the manifest's comment.
        description: Option<String>,
    },
    /// The operations without a tag.
    Untagged,
    /// The types of the description's schemas that no operation uses.
    UnusedTypes,
}

/// A place where the generator fell back to `serde_json::Value`, ignored a
/// mistake or left something out, rather than refuse the whole document.
#[derive(Debug, Clone, PartialEq)]
pub struct Fallback {
    /// The construct, as a JSON pointer into the spec.
    pub pointer: String,
    /// What could not be mapped.
    pub reason: String,
    /// Whether a whole operation is left out for it.
    pub operation_left_out: bool,
}

impl Api {
    /// Whether the named type has a `validate` method; `types` is sorted by name.
    pub fn is_validated(&self, name: &str) -> bool {
        self.types
            .binary_search_by(|def| def.name.as_str().cmp(name))
            .is_ok_and(|index| self.types[index].validated)
    }

    /// The API versions the operations are offered in, newest stable first
    /// and preview last; empty when no media type names a version.
    pub fn versions(&self) -> Vec<&Version> {
        let mut versions: Vec<&Version> = self
            .operations
            .iter()
            .filter_map(|operation| operation.version.as_ref())
            .collect();
        versions.sort_by(|a, b| a.precedence(b));
        versions.dedup();
        versions
    }
}

/// An API version, as the media-type extension the conventions name says
/// (e.g. `2025-03-12`, or `preview`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    /// The label as written in the spec.
    pub label: String,
    /// snake_case name of the module holding this version's request builders,
    /// also the name of the `Client` method that pins it.
    pub module: String,
    /// An unstable version (a label the conventions name as preview), which
    /// callers opt in to.
    pub preview: bool,
}

impl Version {
    pub fn is_preview(&self) -> bool {
        self.preview
    }

    /// Orders newest stable first (dated labels compare as text), then
    /// previews.
    pub fn precedence(&self, other: &Self) -> std::cmp::Ordering {
        label_precedence((&self.label, self.preview), (&other.label, other.preview))
    }
}

/// Orders `(label, preview)` pairs as [`Version::precedence`] does, for
/// labels read before their `Version`s exist.
pub fn label_precedence(a: (&str, bool), b: (&str, bool)) -> std::cmp::Ordering {
    a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0))
}

/// A named Rust type in the `types` module.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// PascalCase name, unique among types.
    pub name: String,
    /// The schema it comes from, as a JSON pointer.
    pub source: String,
    pub description: Option<String>,
    pub kind: TypeKind,
    /// Used in a request body and has constraints somewhere inside: gets a
    /// `validate` method that sending calls.
    pub validated: bool,
    /// The Cargo features under which the type is compiled: those of the
    /// operations that reach it, and the unused types' feature when a type
    /// no operation uses holds it. Empty when it is compiled whatever the
    /// features, as a type every feature's operations reach is.
    pub features: Vec<String>,
    /// How the API uses the type, which decides its serde traits.
    pub usage: Usage,
}

/// Whether a type's values are sent (in a request body or parameter, at any
/// depth) and whether they are received (in an answer or an API error): it
/// implements `Serialize` for the first and `Deserialize` for the second. A
/// type no operation reaches is both, for whatever its user does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub sent: bool,
    pub received: bool,
}

impl Usage {
    pub const BOTH: Self = Self {
        sent: true,
        received: true,
    };
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with named properties.
    Struct(Vec<Field>),
    /// A string enumeration; unknown values still decode.
    Enum(Vec<Variant>),
    /// Another name for a type, such as a `$ref` to a `$ref` or an array.
    Alias(Type),
    /// A value of one of several shapes (`oneOf`, `anyOf`). With a
    /// discriminator the shape is chosen by that property's value; without,
    /// by the first shape that decodes. A value of no known shape still
    /// decodes, as `Unknown`.
    OneOf {
        /// The property whose value names the shape (`discriminator.propertyName`).
        discriminator: Option<String>,
        variants: Vec<Shape>,
    },
}

/// One shape of a `oneOf`/`anyOf` type.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// PascalCase name, unique within its enum and never `Unknown`.
    pub name: String,
    pub ty: Type,
    /// The discriminator values that select this shape, in spec order.
    pub tags: Vec<String>,
}

/// A property of an object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// snake_case name, unique within its struct.
    pub name: String,
    /// The property name on the wire.
    pub wire_name: String,
    pub description: Option<String>,
    pub ty: Type,
    pub required: bool,
    pub nullable: bool,
    /// Held in a `Box`, because through it the struct contains itself.
    pub boxed: bool,
    /// `readOnly`: set by the server, so never sent in a request body.
    pub read_only: bool,
    /// `writeOnly`: sent, never expected back, so decoding does not require it.
    pub write_only: bool,
    pub constraints: Constraints,
}

/// Rules a value must keep, from its schema; checked before sending.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// An ECMA-262 regular expression that compiles (in Unicode mode or not).
    pub pattern: Option<String>,
    /// Bounds, inclusive unless the flag beside says otherwise (only a
    /// number's can be exclusive: an integer's exclusive bound is lowered
    /// to the inclusive one next to it).
    pub minimum: Option<f64>,
    pub exclusive_minimum: bool,
    pub maximum: Option<f64>,
    pub exclusive_maximum: bool,
    /// The other fields of its struct that must be set when this one is
    /// (`dependentRequired`), by wire name.
    pub requires: Vec<String>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A value of a string enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// PascalCase name, unique within its enum.
    pub name: String,
    /// The value on the wire.
    pub wire_name: String,
}

/// An integer type: `int32` and `int64` as OpenAPI names them, and the
/// other widths real descriptions use (`int8`, `uint64`, …). Without a
/// format, an integer is an `I64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Int {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

impl Int {
    /// The integer type of an OpenAPI `format`, `None` for another format.
    pub fn of_format(format: &str) -> Option<Self> {
        Some(match format {
            "int8" => Self::I8,
            "int16" => Self::I16,
            "int32" => Self::I32,
            "int64" => Self::I64,
            "uint8" => Self::U8,
            "uint16" => Self::U16,
            "uint32" => Self::U32,
            "uint64" => Self::U64,
            _ => return None,
        })
    }

    /// The smallest and largest value, as floats (as bounds are kept).
    pub fn range(self) -> (f64, f64) {
        match self {
            Self::I8 => (f64::from(i8::MIN), f64::from(i8::MAX)),
            Self::I16 => (f64::from(i16::MIN), f64::from(i16::MAX)),
            Self::I32 => (f64::from(i32::MIN), f64::from(i32::MAX)),
            Self::I64 => (i64::MIN as f64, i64::MAX as f64),
            Self::U8 => (0.0, f64::from(u8::MAX)),
            Self::U16 => (0.0, f64::from(u16::MAX)),
            Self::U32 => (0.0, f64::from(u32::MAX)),
            Self::U64 => (0.0, u64::MAX as f64),
        }
    }
}

/// A type as used in a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    String,
    /// `format: password`: a string that never shows in `Debug`.
    Secret,
    /// `format: date-time`.
    DateTime,
    /// `format: date`.
    Date,
    Boolean,
    /// `type: integer`, as wide and signed as its `format` says.
    Int(Int),
    F32,
    F64,
    /// Any JSON value (a schema without constraints).
    Json,
    /// A JSON object with arbitrary members.
    JsonObject,
    /// The connection a `101 Switching Protocols` answer hands over, in
    /// place of a body.
    Upgraded,
    Array(Box<Type>),
    /// A fixed-length array whose items have a type each (`prefixItems`),
    /// a Rust tuple.
    Tuple(Vec<Type>),
    /// An object whose members all have one type.
    Map(Box<Type>),
    /// A body that is not JSON (CSV, gzip, …), as the bytes received or sent.
    Bytes,
    /// A request body sent as it is: bytes, text or a stream (`runtime::Body`).
    Body,
    /// A file of a multipart body: content, file name, content type
    /// (`runtime::FilePart`).
    File,
    /// A text answer (`text/plain`, `text/csv`, …), decoded from UTF-8
    /// into a `String`.
    Text,
    /// A binary answer (a download), handed over unread: taken whole or
    /// read chunk by chunk as it arrives.
    ByteStream,
    /// A `text/event-stream` answer: server-sent events, read as they
    /// arrive, each one's data of the inner type (`String` when it is text).
    EventStream(Box<Type>),
    /// A type of the `types` module, by name.
    Named(String),
}

/// One HTTP operation: a method of the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's `operationId` (or one derived from method and path).
    pub id: String,
    /// snake_case client method name, unique among operations.
    pub method_name: String,
    /// PascalCase name of the operation's request builder, unique among operations.
    pub builder_name: String,
    pub http_method: HttpMethod,
    /// The path template as written in the spec, e.g. `/keys/{keyId}`.
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub parameters: Vec<Parameter>,
    pub body: Option<RequestBody>,
    pub success: SuccessResponse,
    /// The media type sent in `Accept`: the success response's, else the
    /// error responses', else `*/*`.
    pub accept: String,
    /// The documented error body, when every error response has the same one.
    pub error_type: Type,
    /// How to fetch every page, when the operation is a paged list.
    pub paging: Option<Paging>,
    /// The boolean query parameter (Rust name) that makes the server wrap
    /// its answer in an envelope.
    pub envelope_parameter: Option<String>,
    /// The API version whose media types this operation sends and accepts;
    /// `None` when the spec does not version the operation.
    pub version: Option<Version>,
    /// Whether `Client` itself has a method for this operation: true for the
    /// newest stable version of each operation, and for an unversioned one.
    pub is_default: bool,
    /// The security alternatives the operation accepts, in the
    /// description's order: none sends no credentials, and an empty one
    /// allows calling without them.
    pub security: Vec<Requirement>,
    /// The description's tags of the operation, in its order.
    pub tags: Vec<String>,
    /// The Cargo features under which the operation is compiled (its tags'
    /// features); empty when it is compiled whatever the features, as an
    /// operation of every feature is.
    pub features: Vec<String>,
}

/// How a paged list operation walks its pages, and where each page's
/// items are.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// How the next page is asked for, and when there is none.
    pub style: PagingStyle,
    /// The response field holding the page's items (Rust name), and whether
    /// it is required; `None` when the response is the array of items.
    pub items_field: Option<(String, bool)>,
    pub item_type: Type,
}

/// The ways of asking for the next page (the config file's paging styles).
#[derive(Debug, Clone, PartialEq)]
pub enum PagingStyle {
    /// Pages numbered from 1: until a page is short or the total is reached.
    PageNumber {
        /// The page-number parameter (Rust name) and its integer type.
        page_parameter: String,
        page_type: Type,
        /// The page-size parameter (Rust name), its type and its default.
        size_parameter: Option<(String, Type, Option<i64>)>,
        /// The response field holding the list's total (Rust name), its
        /// type, and whether required.
        total_field: Option<(String, Type, bool)>,
    },
    /// Pages from an item offset: until a page is short or the total is reached.
    OffsetLimit {
        /// The offset parameter (Rust name) and its integer type.
        offset_parameter: String,
        offset_type: Type,
        /// The limit parameter (Rust name), its type and its default.
        limit_parameter: Option<(String, Type, Option<i64>)>,
        /// As for page numbers.
        total_field: Option<(String, Type, bool)>,
    },
    /// Pages reached by the cursor the previous page returned, sent as a
    /// query parameter: until there is none.
    Cursor {
        /// The query parameter's wire name.
        cursor_parameter: String,
        /// The response field holding the next cursor, a string: its path
        /// through nested objects, each step's Rust name and whether it is
        /// an `Option`.
        cursor_field: Vec<(String, bool)>,
    },
    /// Pages reached by the URL the previous page links to: until there is none.
    NextLink {
        /// The response field holding the URL, as for a cursor; `None` for
        /// the `Link` header's `rel="next"`.
        next_url_field: Option<Vec<(String, bool)>>,
    },
}

/// HTTP methods OpenAPI can describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// The method as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
        }
    }
}

/// A path, query or header parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// snake_case name, unique within the operation and free of the builder's own names.
    pub name: String,
    /// The parameter name on the wire.
    pub wire_name: String,
    pub location: Location,
    pub description: Option<String>,
    pub ty: Type,
    pub required: bool,
    /// The server's default, as JSON text, for the docs.
    pub default: Option<String>,
    /// The description's example value, as JSON text, for the crate guide.
    pub example: Option<String>,
    pub constraints: Constraints,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    Path,
    Query,
    Header,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub media_type: String,
    pub description: Option<String>,
    pub ty: Type,
    pub required: bool,
    /// How the value is written on the wire.
    pub encoding: BodyEncoding,
}

/// How a request body's value becomes bytes, by its media type.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyEncoding {
    /// Serialised as JSON.
    Json,
    /// `application/x-www-form-urlencoded`: the properties as form fields;
    /// the properties whose encoding is not the default (`form`, exploded).
    Form(Vec<FormEncoding>),
    /// `multipart/form-data`: a part per property, in the struct's order.
    Multipart(Vec<MultipartPart>),
    /// Sent as it is: the body is a `Type::Body` (bytes, text or a stream).
    Raw,
}

/// How one property of a form body is written (its `encoding` entry).
#[derive(Debug, Clone, PartialEq)]
pub struct FormEncoding {
    /// The property name on the wire.
    pub wire_name: String,
    pub style: FormStyle,
    pub explode: bool,
}

/// OpenAPI's styles of a form property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// One property of a multipart body: a part (or a part per item).
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartPart {
    /// The struct field's Rust name.
    pub field: String,
    /// The part's name on the wire.
    pub wire_name: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether the part is a file (`Type::File`, or an array of them,
    /// `repeated`), rather than text or JSON.
    pub file: bool,
    /// A file field that is an array: a part per file.
    pub repeated: bool,
    /// The media type's `encoding` content type: a file's default, a text
    /// part's own.
    pub content_type: Option<String>,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub struct SuccessResponse {
    /// The status code documented for success, e.g. 201; `None` when the
    /// description documents none of its own (only `default`, only
    /// errors, or no responses), so any 2xx status succeeds.
    pub status: Option<u16>,
    pub description: String,
    /// The decoded body's type; `None` when the response has no body.
    pub ty: Option<Type>,
    /// The documented answer is a redirect (`status` is a 3xx), which the
    /// client follows; `ty` is then the bytes of where it leads.
    pub followed: bool,
    /// For an event stream: the data of the event that ends it (the
    /// config's `event_stream_end`), or `None` when only the body's end does.
    pub stream_end: Option<String>,
}
