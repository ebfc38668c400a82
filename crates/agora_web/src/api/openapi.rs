//! The OpenAPI document of the JSON API, served at `/api/openapi.json`.

use super::{
    accounts, appeals, auth, deletion, export, federation, filters, follows, imports,
    initiative_updates, initiatives, labels, moves, petitions, posts, reports, timelines, views,
};
use actix_web::{HttpResponse, get};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Agora API", description = "JSON API of an Agora civic network node. Errors share one shape: {\"error\": code, \"message\"}."),
    paths(
        auth::create_token, auth::revoke_token,
        accounts::sign_up, accounts::me, accounts::update_me, accounts::change_password, accounts::lookup, accounts::set_account_kind,
        deletion::delete_me, deletion::deletion_state, deletion::cancel_deletion, deletion::purge_actor,
        moves::move_me, moves::move_initiative,
        filters::list_blocks, filters::block, filters::unblock, filters::list_mutes, filters::mute,
        filters::unmute, filters::list_domain_blocks, filters::block_domain, filters::unblock_domain,
        imports::create_import, imports::import_status, imports::import_records,
        posts::create_post, posts::get_post, posts::edit_post, posts::delete_post,
        timelines::home,
        follows::create_follow, follows::list_follows, follows::delete_follow,
        follows::list_requests, follows::accept_request, follows::reject_request,
        initiatives::create_initiative, initiatives::get_initiative, initiatives::search_initiatives,
        initiatives::add_organizer, initiatives::remove_organizer, initiatives::edit_initiative,
        initiative_updates::publish_update, initiative_updates::list_updates,
        initiative_updates::pin_update, initiative_updates::unpin_update,
        posts::post_replies, initiatives::set_picture, initiatives::remove_picture,
        initiatives::list_follow_requests, initiatives::answer_follow_request,
        petitions::create_petition, petitions::get_petition, petitions::sign_petition,
        petitions::my_signature, petitions::withdraw_signature, petitions::publish_petition,
        petitions::close_petition, petitions::invalidate_signatures, petitions::export_petition,
        petitions::respond_to_petition,
        reports::file_report, reports::get_report, reports::report_queue,
        reports::report_for_moderator, reports::decide_report, reports::assign_to_self,
        reports::unassign, appeals::my_decisions, appeals::appeal, appeals::decide_appeal,
        federation::current_policy, federation::set_rule, federation::lift_rule, federation::set_mode,
        labels::list, labels::confirm, labels::remove, export::request, export::request_initiative, export::status,
        export::archive,
    ),
    components(schemas(views::ErrorBody, views::AccountView, views::PostView, views::FollowView,
        views::AccountKindName, views::FollowState, accounts::LocalAccountKindName, accounts::AccountRole,
        accounts::SignUpState, initiatives::InitiativeStatus, initiatives::MemberRole, petitions::PetitionStatusName,
        reports::CategoryName, reports::ActionName, reports::ReportStatusName, reports::AssignedName,
        reports::LabelName,
        appeals::OutcomeName, federation::PolicyName, federation::ModeName, imports::ImportTypeName)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// `GET /api/openapi.json`.
#[get("/api/openapi.json")]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(ApiDoc::openapi().to_pretty_json().unwrap_or_default())
}
