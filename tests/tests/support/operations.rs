//! The seven operations of the generated client as data, for the tests that
//! run each of them against a server (wiremock in `client::operations`,
//! Prism in `tools::contract_prism`): an [`Op`] knows its method, path and
//! success status; a [`Call`] is one way of sending it (which version, which
//! optional parameters, which name in its body) and [`Call::send`] sends
//! it, returning the answer in the type its version decodes to
//! ([`Decoded`]).

use atlas_ai_model_api_keys::types::{
    AiModelApiKey, AiModelApiKeyCloud, AiModelApiKeyCreateRequest, AiModelApiKeyGeography,
    AiModelApiKeyPreviewCreateRequest, AiModelApiKeyResponse, AiModelApiKeyUpdateRequest, ApiError,
    PaginatedAiModelApiKeys, PaginatedAtlasAiModelApiKeysResponse,
};
use atlas_ai_model_api_keys::{ApiResponse, Client, Error};
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// The builder of `Client`'s own method, or of the same method pinned with
/// `v2025_03_12()`, as the call says.
macro_rules! stable {
    ($call:expr, $client:expr, $method:ident($($arg:expr),*)) => {
        if $call.version == Version::Pinned {
            $client.v2025_03_12().$method($($arg),*)
        } else {
            $client.$method($($arg),*)
        }
    };
}

/// Sets `envelope` and `pretty` of a call's builder, if the call does.
macro_rules! flagged {
    ($call:expr, $builder:expr) => {{
        let mut builder = $builder;
        if let Some(value) = $call.params.envelope {
            builder = builder.envelope(value);
        }
        if let Some(value) = $call.params.pretty {
            builder = builder.pretty(value);
        }
        builder
    }};
}

/// Sets the paging parameters of a list call's builder, then the flags.
macro_rules! paged {
    ($call:expr, $builder:expr) => {{
        let mut builder = $builder;
        if let Some(value) = $call.params.items_per_page {
            builder = builder.items_per_page(value);
        }
        if let Some(value) = $call.params.page_num {
            builder = builder.page_num(value);
        }
        flagged!($call, builder)
    }};
}

/// Sends a builder the way the call says: `.send().await` or `.await`.
macro_rules! finish {
    ($call:expr, $builder:expr) => {{
        let builder = $builder;
        if $call.explicit_send {
            builder.send().await?
        } else {
            builder.await?
        }
    }};
}

/// The spec's example project id; differs from the `groupId` in the example
/// key, so a decoded `groupId` cannot be an echo of the request.
pub const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
/// The spec's example organization id.
pub const ORG_ID: &str = "4888442a3354817a7320eb61";
/// The spec's example key id.
pub const API_KEY_ID: &str = "a86r5kwrfsk5r5ku5tgvhmpj";
/// Media type of the stable version, `2025-03-12`.
pub const STABLE: &str = "application/vnd.atlas.2025-03-12+json";
/// Media type of the preview.
pub const PREVIEW: &str = "application/vnd.atlas.preview+json";

/// One operation of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    ListGroupKeys,
    CreateGroupKey,
    GetGroupKey,
    UpdateGroupKey,
    DeleteGroupKey,
    ListOrgKeys,
    GetOrgKey,
}

impl Op {
    pub const ALL: [Self; 7] = [
        Self::ListGroupKeys,
        Self::CreateGroupKey,
        Self::GetGroupKey,
        Self::UpdateGroupKey,
        Self::DeleteGroupKey,
        Self::ListOrgKeys,
        Self::GetOrgKey,
    ];

    pub fn method(self) -> &'static str {
        match self {
            Self::ListGroupKeys | Self::GetGroupKey | Self::ListOrgKeys | Self::GetOrgKey => "GET",
            Self::CreateGroupKey => "POST",
            Self::UpdateGroupKey => "PATCH",
            Self::DeleteGroupKey => "DELETE",
        }
    }

    /// The path as the spec writes it.
    pub fn template(self) -> &'static str {
        match self {
            Self::ListGroupKeys | Self::CreateGroupKey => {
                "/api/atlas/v2/groups/{groupId}/aiModelApiKeys"
            }
            Self::GetGroupKey | Self::UpdateGroupKey | Self::DeleteGroupKey => {
                "/api/atlas/v2/groups/{groupId}/aiModelApiKeys/{apiKeyId}"
            }
            Self::ListOrgKeys => "/api/atlas/v2/orgs/{orgId}/aiModelApiKeys",
            Self::GetOrgKey => "/api/atlas/v2/orgs/{orgId}/aiModelApiKeys/{apiKeyId}",
        }
    }

    /// The path [`Call::send`] requests, with the spec's example ids.
    pub fn path(self) -> String {
        self.template()
            .replace("{groupId}", GROUP_ID)
            .replace("{orgId}", ORG_ID)
            .replace("{apiKeyId}", API_KEY_ID)
    }

    /// The status of a success.
    pub fn success(self) -> u16 {
        match self {
            Self::CreateGroupKey => 201,
            Self::DeleteGroupKey => 204,
            _ => 200,
        }
    }

    /// What a success carries.
    pub fn answer(self) -> Answer {
        match self {
            Self::ListGroupKeys | Self::ListOrgKeys => Answer::Page,
            Self::DeleteGroupKey => Answer::Nothing,
            _ => Answer::Key,
        }
    }

    /// The name a call of this operation puts in its body by default.
    fn default_name(self) -> &'static str {
        match self {
            Self::UpdateGroupKey => "Renamed key",
            _ => "Production key",
        }
    }
}

/// The body of a successful answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Page,
    Key,
    Nothing,
}

/// How a call picks its API version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// `Client`'s own method: the newest stable version.
    Default,
    /// `client.v2025_03_12()`: the same version, pinned.
    Pinned,
    /// `client.preview()`.
    Preview,
}

impl Version {
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Default | Self::Pinned => STABLE,
            Self::Preview => PREVIEW,
        }
    }
}

/// The optional parameters a call sets; only list operations page.
#[derive(Clone, Copy, Debug, Default)]
pub struct Params {
    pub items_per_page: Option<i32>,
    pub page_num: Option<i32>,
    pub envelope: Option<bool>,
    pub pretty: Option<bool>,
}

impl Params {
    /// The query these parameters must make, and nothing else.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        let numbers = [
            ("itemsPerPage", self.items_per_page),
            ("pageNum", self.page_num),
        ];
        for (name, value) in numbers {
            query.extend(value.map(|value| (name, value.to_string())));
        }
        for (name, value) in [("envelope", self.envelope), ("pretty", self.pretty)] {
            query.extend(value.map(|value| (name, value.to_string())));
        }
        query
    }
}

/// One way of sending an operation.
#[derive(Clone, Copy, Debug)]
pub struct Call {
    pub op: Op,
    pub version: Version,
    pub params: Params,
    /// `name` of a create or update body.
    pub name: &'static str,
    /// Sent with `.send().await` rather than by awaiting the builder.
    pub explicit_send: bool,
}

impl Call {
    /// `op` in `version`, no optional parameter set, the builder awaited.
    pub fn new(op: Op, version: Version) -> Self {
        Self {
            op,
            version,
            params: Params::default(),
            name: op.default_name(),
            explicit_send: false,
        }
    }

    pub fn with(mut self, params: Params) -> Self {
        self.params = params;
        self
    }

    pub fn named(mut self, name: &'static str) -> Self {
        self.name = name;
        self
    }

    pub fn sent_explicitly(mut self) -> Self {
        self.explicit_send = true;
        self
    }

    /// The JSON body this call must send, written out independently of the
    /// client's types.
    pub fn body(&self) -> Option<Value> {
        match (self.op, self.version) {
            (Op::CreateGroupKey, Version::Default | Version::Pinned) => {
                Some(json!({ "cloud": "ANY", "geography": "ANY", "name": self.name }))
            }
            (Op::CreateGroupKey | Op::UpdateGroupKey, _) => Some(json!({ "name": self.name })),
            _ => None,
        }
    }

    /// Sends the call with `client`, as a user would write it.
    pub async fn send(&self, client: &Client) -> Result<Decoded, Error<ApiError>> {
        match self.version {
            Version::Default | Version::Pinned => self.send_stable(client).await,
            Version::Preview => self.send_preview(client).await,
        }
    }

    async fn send_stable(&self, client: &Client) -> Result<Decoded, Error<ApiError>> {
        let (create, update) = (self.create_request(), self.update_request());
        Ok(match self.op {
            Op::ListGroupKeys => {
                let builder = stable!(self, client, list_group_ai_model_api_keys(GROUP_ID));
                Decoded::new(finish!(self, paged!(self, builder)), Body::Page)
            }
            Op::CreateGroupKey => {
                let builder = stable!(
                    self,
                    client,
                    create_group_ai_model_api_key(GROUP_ID, &create)
                );
                Decoded::new(finish!(self, flagged!(self, builder)), Body::Key)
            }
            Op::GetGroupKey => {
                let builder = stable!(
                    self,
                    client,
                    get_group_ai_model_api_key(GROUP_ID, API_KEY_ID)
                );
                Decoded::new(finish!(self, flagged!(self, builder)), Body::Key)
            }
            Op::UpdateGroupKey => {
                let builder = stable!(
                    self,
                    client,
                    update_group_ai_model_api_key(GROUP_ID, API_KEY_ID, &update)
                );
                Decoded::new(finish!(self, flagged!(self, builder)), Body::Key)
            }
            Op::DeleteGroupKey => {
                let builder = stable!(
                    self,
                    client,
                    delete_group_ai_model_api_key(GROUP_ID, API_KEY_ID)
                );
                Decoded::new(finish!(self, flagged!(self, builder)), |()| Body::Deleted)
            }
            Op::ListOrgKeys => {
                let builder = stable!(self, client, list_org_ai_model_api_keys(ORG_ID));
                Decoded::new(finish!(self, paged!(self, builder)), Body::Page)
            }
            Op::GetOrgKey => {
                let builder = stable!(self, client, get_org_ai_model_api_key(ORG_ID, API_KEY_ID));
                Decoded::new(finish!(self, flagged!(self, builder)), Body::Key)
            }
        })
    }

    async fn send_preview(&self, client: &Client) -> Result<Decoded, Error<ApiError>> {
        let create = AiModelApiKeyPreviewCreateRequest::new(self.name);
        let update = self.update_request();
        let preview = client.preview();
        Ok(match self.op {
            Op::ListGroupKeys => {
                let builder = preview.list_group_ai_model_api_keys(GROUP_ID);
                Decoded::new(finish!(self, paged!(self, builder)), Body::PreviewPage)
            }
            Op::CreateGroupKey => {
                let builder = preview.create_group_ai_model_api_key(GROUP_ID, &create);
                Decoded::new(finish!(self, flagged!(self, builder)), Body::PreviewKey)
            }
            Op::GetGroupKey => {
                let builder = preview.get_group_ai_model_api_key(GROUP_ID, API_KEY_ID);
                Decoded::new(finish!(self, flagged!(self, builder)), Body::PreviewKey)
            }
            Op::UpdateGroupKey => {
                let builder = preview.update_group_ai_model_api_key(GROUP_ID, API_KEY_ID, &update);
                Decoded::new(finish!(self, flagged!(self, builder)), Body::PreviewKey)
            }
            Op::DeleteGroupKey => {
                let builder = preview.delete_group_ai_model_api_key(GROUP_ID, API_KEY_ID);
                Decoded::new(finish!(self, flagged!(self, builder)), |()| Body::Deleted)
            }
            Op::ListOrgKeys => {
                let builder = preview.list_org_ai_model_api_keys(ORG_ID);
                Decoded::new(finish!(self, paged!(self, builder)), Body::PreviewPage)
            }
            Op::GetOrgKey => {
                let builder = preview.get_org_ai_model_api_key(ORG_ID, API_KEY_ID);
                Decoded::new(finish!(self, flagged!(self, builder)), Body::PreviewKey)
            }
        })
    }

    fn create_request(&self) -> AiModelApiKeyCreateRequest {
        AiModelApiKeyCreateRequest::new(
            AiModelApiKeyCloud::Any,
            AiModelApiKeyGeography::Any,
            self.name,
        )
    }

    fn update_request(&self) -> AiModelApiKeyUpdateRequest {
        AiModelApiKeyUpdateRequest::new(self.name)
    }
}

/// A call's answer: its status, its headers and its body.
#[derive(Debug)]
pub struct Decoded {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Body,
}

/// A body in the type the call's version decodes it to.
#[derive(Debug)]
pub enum Body {
    Page(PaginatedAtlasAiModelApiKeysResponse),
    Key(AiModelApiKeyResponse),
    PreviewPage(PaginatedAiModelApiKeys),
    PreviewKey(AiModelApiKey),
    Deleted,
}

impl Decoded {
    fn new<T>(response: ApiResponse<T>, body: impl FnOnce(T) -> Body) -> Self {
        Self {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: body(response.into_inner()),
        }
    }

    /// The body written back as JSON; `None` for a deletion.
    pub fn json(&self) -> Option<Value> {
        fn json<T: serde::Serialize>(body: &T) -> Option<Value> {
            Some(serde_json::to_value(body).expect("decoded bodies serialise"))
        }
        match &self.body {
            Body::Page(page) => json(page),
            Body::Key(key) => json(key),
            Body::PreviewPage(page) => json(page),
            Body::PreviewKey(key) => json(key),
            Body::Deleted => None,
        }
    }
}
