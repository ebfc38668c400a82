//! Every route of the node, in one place, with the middleware that counts requests and
//! translates API errors.

use crate::{activitypub, api, error::HttpError, i18n::Lang, media, ops, pages, wellknown};
use actix_web::{
    HttpResponse, ResponseError,
    body::BoxBody,
    dev::{ServiceRequest, ServiceResponse},
    web,
};
use agora_core::{ErrorKind, metrics::METRICS};

/// The stylesheet, compiled in.
const STYLE: &str = include_str!("../static/style.css");

/// Registers every route and shared configuration on an actix `App`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::FormConfig::default()
            .limit(64 * 1024)
            .error_handler(|err, _req| {
                HttpError::json(ErrorKind::BadRequest, err.to_string()).into()
            }),
    )
    .app_data(
        web::QueryConfig::default().error_handler(|err, _req| {
            HttpError::json(ErrorKind::BadRequest, err.to_string()).into()
        }),
    )
    .app_data(
        web::PathConfig::default().error_handler(|err, _req| {
            HttpError::json(ErrorKind::NotFound, err.to_string()).into()
        }),
    )
    // Discovery and ActivityPub.
    .service(wellknown::webfinger)
    .service(wellknown::nodeinfo_links)
    .service(wellknown::nodeinfo_20)
    .service(wellknown::nodeinfo_21)
    .service(wellknown::host_meta)
    .service(activitypub::actor::get_instance_actor)
    .service(activitypub::actor::get_moderation_actor)
    .service(activitypub::inbox::shared_inbox)
    .service(activitypub::inbox::instance_inbox)
    .service(activitypub::inbox::moderation_inbox)
    .service(pages::reports::report_form)
    .service(pages::reports::file_report)
    .service(pages::reports::report_page)
    .service(pages::moderation::queue_page)
    .service(pages::moderation::report_page)
    .service(pages::moderation::decide)
    .service(pages::moderation_log::log_page)
    .service(pages::federation_desk::desk)
    .service(pages::federation_desk::change_rule)
    .service(pages::federation_desk::change_mode)
    .service(pages::labels_desk::desk)
    .service(pages::labels_desk::review)
    .service(pages::moderation::assign)
    .service(pages::moderation::decide_appeal)
    .service(pages::decisions::my_decisions)
    .service(pages::decisions::appeal_form)
    .service(pages::decisions::appeal)
    .service(pages::initiatives::directory)
    .service(pages::initiatives::new_form)
    .service(pages::initiatives::create)
    .service(pages::initiatives::edit_form)
    .service(pages::initiatives::edit)
    .service(pages::initiatives::upload_picture)
    .service(pages::initiative_updates::publish)
    .service(pages::initiative_updates::pin)
    .service(activitypub::moved::moved_here)
    .service(activitypub::initiatives::get_group)
    .service(activitypub::initiatives::group_inbox)
    .service(activitypub::initiatives::group_outbox)
    .service(activitypub::initiatives::group_followers)
    .service(activitypub::initiatives::group_following)
    .service(activitypub::initiatives::group_featured)
    .service(activitypub::initiatives::group_moderators)
    .service(activitypub::inbox::user_inbox)
    .service(activitypub::collections::outbox)
    .service(activitypub::collections::followers)
    .service(activitypub::collections::following)
    .service(activitypub::actor::get_user)
    .service(activitypub::post::get_post)
    .service(pages::petition_new::new_form)
    .service(pages::petition_new::create)
    .service(pages::petitions::sign)
    .service(pages::curve::curve_svg)
    .service(pages::transparency::transparency)
    .service(pages::transparency::chart)
    .service(pages::policies::terms)
    .service(pages::policies::data)
    .service(pages::policies::accept)
    .service(pages::energy::page)
    .service(pages::energy::chart)
    .service(pages::imports::page)
    .service(pages::filters::page)
    .service(pages::filters::add)
    .service(pages::filters::lift)
    .service(pages::initiative_moves::page)
    .service(pages::initiative_moves::set_aliases)
    .service(pages::initiative_moves::move_initiative)
    .service(pages::initiative_moves::request_archive)
    .service(pages::initiative_moves::import)
    .service(pages::imports::upload)
    .service(pages::moves::page)
    .service(pages::moves::set_aliases)
    .service(pages::moves::move_account)
    .service(pages::deletion::page)
    .service(pages::deletion::request)
    .service(pages::deletion::cancel)
    .service(pages::export::page)
    .service(pages::export::request)
    .service(pages::export::download)
    .service(pages::witnessing::witnessing)
    .service(pages::petitions::withdraw)
    .service(activitypub::petitions::get_petition)
    .service(activitypub::petitions::log_index)
    .service(activitypub::petitions::log_checkpoint)
    .service(activitypub::petitions::log_proof)
    .service(activitypub::petitions::log_consistency)
    .service(activitypub::petitions::log_leaves)
    .service(activitypub::petitions::log_cosignatures)
    // JSON API.
    .service(api::openapi::openapi_json)
    .service(api::auth::create_token)
    .service(api::auth::revoke_token)
    .service(api::accounts::sign_up)
    .service(api::accounts::me)
    .service(api::accounts::update_me)
    .service(api::accounts::change_password)
    .service(api::accounts::lookup)
    .service(api::accounts::set_account_kind)
    .service(api::deletion::delete_me)
    .service(api::deletion::deletion_state)
    .service(api::deletion::cancel_deletion)
    .service(api::deletion::purge_actor)
    .service(api::moves::move_me)
    .service(api::moves::move_initiative)
    .service(api::filters::list_blocks)
    .service(api::filters::block)
    .service(api::filters::unblock)
    .service(api::filters::list_mutes)
    .service(api::filters::mute)
    .service(api::filters::unmute)
    .service(api::filters::list_domain_blocks)
    .service(api::filters::block_domain)
    .service(api::filters::unblock_domain)
    .service(api::imports::create_import)
    .service(api::imports::import_records)
    .service(api::imports::import_status)
    .service(api::posts::create_post)
    .service(api::posts::get_post)
    .service(api::posts::post_replies)
    .service(api::posts::edit_post)
    .service(api::posts::delete_post)
    .service(api::timelines::home)
    .service(api::follows::create_follow)
    .service(api::follows::list_follows)
    .service(api::follows::delete_follow)
    .service(api::follows::list_requests)
    .service(api::follows::accept_request)
    .service(api::follows::reject_request)
    .service(api::initiatives::search_initiatives)
    .service(api::initiatives::create_initiative)
    .service(api::initiatives::get_initiative)
    .service(api::initiatives::edit_initiative)
    .service(api::initiatives::add_organizer)
    .service(api::initiatives::remove_organizer)
    .service(api::initiatives::list_follow_requests)
    .service(api::initiatives::answer_follow_request)
    .service(api::initiatives::set_picture)
    .service(api::initiatives::remove_picture)
    .service(api::petitions::create_petition)
    .service(api::petitions::get_petition)
    .service(api::petitions::sign_petition)
    .service(api::petitions::my_signature)
    .service(api::petitions::withdraw_signature)
    .service(api::petitions::publish_petition)
    .service(api::petitions::close_petition)
    .service(api::petitions::invalidate_signatures)
    .service(api::petitions::export_petition)
    .service(api::petitions::respond_to_petition)
    .service(api::reports::file_report)
    .service(api::reports::get_report)
    .service(api::reports::report_queue)
    .service(api::reports::report_for_moderator)
    .service(api::reports::decide_report)
    .service(api::reports::assign_to_self)
    .service(api::reports::unassign)
    .service(api::appeals::my_decisions)
    .service(api::appeals::appeal)
    .service(api::appeals::decide_appeal)
    .service(api::federation::current_policy)
    .service(api::federation::set_rule)
    .service(api::federation::lift_rule)
    .service(api::federation::set_mode)
    .service(api::labels::list)
    .service(api::export::request)
    .service(api::export::request_initiative)
    .service(api::export::status)
    .service(api::export::archive)
    .service(api::labels::confirm)
    .service(api::labels::remove)
    .service(api::initiative_updates::publish_update)
    .service(api::initiative_updates::list_updates)
    .service(api::initiative_updates::pin_update)
    .service(api::initiative_updates::unpin_update)
    // Pages.
    .service(pages::home::home)
    .service(pages::home::create_post)
    .service(pages::home::follow)
    .service(pages::home::unfollow)
    .service(pages::post::delete_post)
    .service(pages::profile::remote_profile)
    .service(pages::interact::interact)
    .service(pages::interact::authorize_interaction)
    .service(pages::account::signup_form)
    .service(pages::account::signup)
    .service(pages::account::login_form)
    .service(pages::account::login)
    .service(pages::account::logout)
    .service(pages::account::confirm_email)
    .service(pages::account::settings)
    .service(pages::account::change_password)
    .service(pages::account::update_profile)
    .service(pages::account::set_language)
    .service(pages::algorithms::algorithms)
    // Operations.
    .service(media::get_media)
    .service(ops::metrics)
    .service(ops::health)
    .route(
        "/static/style.css",
        web::get().to(|| async {
            HttpResponse::Ok()
                .content_type("text/css; charset=utf-8")
                .insert_header(("Cache-Control", "public, max-age=86400"))
                .body(STYLE)
        }),
    )
    .default_service(web::to(|| async {
        Err::<HttpResponse, _>(HttpError::json(ErrorKind::NotFound, "no such route"))
    }));
}

/// Middleware body: counts the request and answers errors of ours in the form the request
/// wants (JSON or an HTML page, decided here once for every handler) and in its language,
/// unless the handler chose the signed-in user's.
pub async fn observe(
    req: ServiceRequest,
    next: actix_web::middleware::Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let method = req.method().as_str().to_string();
    let bytes_in = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    let lang = Lang::negotiate(req.request(), None, "en");
    let format = crate::error::Format::of(req.request());
    let response = next.call(req).await?;
    let response = match response
        .response()
        .error()
        .and_then(|e| e.as_error::<HttpError>())
    {
        Some(err) => {
            let shown = HttpError {
                kind: err.kind,
                detail: err.detail.clone(),
                reason: err.reason,
                format,
                lang: err.lang.or(Some(lang)),
            };
            response.into_response(shown.error_response())
        }
        None => response,
    };
    let class = format!("{}xx", response.status().as_u16() / 100);
    // What the node moves, for /about/energy (bodies only, as sized by the server).
    let bytes_out = match actix_web::body::MessageBody::size(response.response().body()) {
        actix_web::body::BodySize::Sized(n) => n,
        _ => 0,
    };
    agora_core::energy::METER.http(bytes_in, bytes_out);
    METRICS
        .http_requests
        .with_label_values(&[method.as_str(), class.as_str()])
        .inc();
    Ok(response)
}
