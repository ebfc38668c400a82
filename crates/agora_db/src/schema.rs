//! The diesel schema, written by hand to serve both backends (64-bit ids, UTC timestamps
//! without offset, JSON as text).
#![allow(missing_docs)]

diesel::table! {
    actors (id) {
        id -> BigInt,
        ap_id -> Text,
        actor_type -> Text,
        username -> Text,
        domain -> Text,
        display_name -> Text,
        summary -> Text,
        url -> Nullable<Text>,
        inbox -> Text,
        shared_inbox -> Nullable<Text>,
        outbox -> Nullable<Text>,
        followers_url -> Nullable<Text>,
        following_url -> Nullable<Text>,
        public_key_pem -> Text,
        private_key_pem -> Nullable<Text>,
        local -> Bool,
        account_kind -> Text,
        manually_approves_followers -> Bool,
        also_known_as -> Text,
        moved_to -> Nullable<Text>,
        created_at -> Timestamp,
        last_refreshed_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        kind_verified_at -> Nullable<Timestamp>,
        kind_set_by -> Nullable<BigInt>,
        icon_url -> Nullable<Text>,
        image_url -> Nullable<Text>,
        suspended_at -> Nullable<Timestamp>,
        limited_at -> Nullable<Timestamp>,
        blocked_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
        moved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        actor_id -> BigInt,
        email -> Nullable<Text>,
        email_confirmed_at -> Nullable<Timestamp>,
        unconfirmed_email -> Nullable<Text>,
        password_hash -> Text,
        role -> Text,
        approved -> Bool,
        locale -> Nullable<Text>,
        created_at -> Timestamp,
        terms_accepted -> Integer,
        deletion_due_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        kind -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    email_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        email -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        ap_id -> Text,
        author_id -> BigInt,
        content -> Text,
        source -> Nullable<Text>,
        spoiler_text -> Nullable<Text>,
        in_reply_to -> Nullable<Text>,
        url -> Nullable<Text>,
        local -> Bool,
        published -> Timestamp,
        updated -> Nullable<Timestamp>,
        deleted_at -> Nullable<Timestamp>,
        group_id -> Nullable<BigInt>,
        pinned_at -> Nullable<Timestamp>,
        hidden_at -> Nullable<Timestamp>,
        payload_bytes -> BigInt,
        delivered_inboxes -> BigInt,
        imported_from -> Nullable<Text>,
    }
}

diesel::table! {
    follows (id) {
        id -> BigInt,
        ap_id -> Text,
        follower_id -> BigInt,
        target_id -> BigInt,
        state -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    received_activities (ap_id) {
        ap_id -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    jobs (id) {
        id -> BigInt,
        kind -> Text,
        payload -> Text,
        target_domain -> Nullable<Text>,
        run_at -> Timestamp,
        attempts -> Integer,
        locked_until -> Nullable<Timestamp>,
        locked_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    instances (id) {
        id -> BigInt,
        domain -> Text,
        failure_count -> Integer,
        last_success_at -> Nullable<Timestamp>,
        last_failure_at -> Nullable<Timestamp>,
        dead_since -> Nullable<Timestamp>,
        failing_since -> Nullable<Timestamp>,
        software -> Nullable<Text>,
        software_checked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    rate_limits (key) {
        key -> Text,
        window_start -> Timestamp,
        count -> Integer,
    }
}

diesel::table! {
    initiatives (id) {
        id -> BigInt,
        actor_id -> BigInt,
        goals -> Text,
        status -> Text,
        place_name -> Nullable<Text>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    initiative_tags (initiative_id, tag) {
        initiative_id -> BigInt,
        tag -> Text,
    }
}

diesel::table! {
    initiative_members (initiative_id, actor_id) {
        initiative_id -> BigInt,
        actor_id -> BigInt,
        role -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    petitions (id) {
        id -> BigInt,
        ap_id -> Text,
        local -> Bool,
        author_id -> BigInt,
        created_by -> Nullable<BigInt>,
        title -> Text,
        text -> Text,
        target -> Text,
        target_actor_id -> Nullable<BigInt>,
        deadline -> Timestamp,
        milestones -> Text,
        signature_policy -> Text,
        trusted_instances -> Text,
        public_names -> Bool,
        status -> Text,
        option_name -> Text,
        remote_count -> BigInt,
        milestone_reached -> BigInt,
        response -> Nullable<Text>,
        response_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        update_due_at -> Nullable<Timestamp>,
        transparency_log -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        hidden_at -> Nullable<Timestamp>,
        payload_bytes -> BigInt,
        delivered_inboxes -> BigInt,
    }
}

diesel::table! {
    petition_signatures (id) {
        id -> BigInt,
        petition_id -> BigInt,
        signer_id -> Nullable<BigInt>,
        origin -> Text,
        vote_ap_id -> Nullable<Text>,
        show_name -> Bool,
        salt -> Text,
        commitment -> Text,
        leaf_index -> Nullable<BigInt>,
        signed_at -> Timestamp,
        withdrawn_at -> Nullable<Timestamp>,
        invalidated_at -> Nullable<Timestamp>,
        client_addr -> Nullable<Text>,
    }
}

diesel::table! {
    petition_invalidations (id) {
        id -> BigInt,
        petition_id -> BigInt,
        moderator_id -> Nullable<BigInt>,
        reason -> Text,
        criteria -> Text,
        invalidated -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    petition_log_leaves (petition_id, idx) {
        petition_id -> BigInt,
        idx -> BigInt,
        leaf -> Text,
    }
}

diesel::table! {
    petition_log_hashes (petition_id, idx) {
        petition_id -> BigInt,
        idx -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    petition_tallies (petition_id, origin) {
        petition_id -> BigInt,
        origin -> Text,
        verified -> BigInt,
        unverified -> BigInt,
    }
}

diesel::table! {
    petition_witnessing (petition_id) {
        petition_id -> BigInt,
        log_key -> Text,
        size -> BigInt,
        checkpoint -> Text,
        checked_at -> Timestamp,
        fork -> Nullable<Text>,
        fork_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    petition_cosignatures (id) {
        id -> BigInt,
        petition_id -> BigInt,
        witness -> Text,
        size -> BigInt,
        signature -> Text,
        cosigned_at -> Timestamp,
    }
}

diesel::table! {
    node_keys (name) {
        name -> Text,
        secret -> Text,
        public -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reports (id) {
        id -> BigInt,
        flag_ap_id -> Nullable<Text>,
        origin -> Text,
        reporter_id -> Nullable<BigInt>,
        sender_id -> Nullable<BigInt>,
        client_addr -> Nullable<Text>,
        target_kind -> Text,
        target_ap_id -> Text,
        target_actor_id -> Nullable<BigInt>,
        objects -> Text,
        category -> Text,
        comment -> Text,
        forward -> Bool,
        snapshot -> Text,
        status -> Text,
        assigned_to -> Nullable<BigInt>,
        action -> Nullable<Text>,
        reason -> Nullable<Text>,
        ground -> Nullable<Text>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        remote_action -> Nullable<Text>,
        remote_reason -> Nullable<Text>,
        remote_decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        flag -> Nullable<Text>,
    }
}

diesel::table! {
    appeals (report_id) {
        report_id -> BigInt,
        token_hash -> Text,
        text -> Nullable<Text>,
        appealed_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        reason -> Nullable<Text>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    domain_policies (domain, policy) {
        domain -> Text,
        policy -> Text,
        reason -> Text,
        set_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    federation_log (id) {
        id -> BigInt,
        change -> Text,
        domain -> Nullable<Text>,
        policy -> Text,
        reason -> Text,
        set_by -> Nullable<BigInt>,
        report_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    labels (id) {
        id -> BigInt,
        target_kind -> Text,
        target_ap_id -> Text,
        label -> Text,
        source -> Text,
        reason -> Text,
        link -> Nullable<Text>,
        set_by -> Nullable<BigInt>,
        report_id -> Nullable<BigInt>,
        confirmed_by -> Nullable<BigInt>,
        confirmed_at -> Nullable<Timestamp>,
        removed_by -> Nullable<BigInt>,
        removed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    interactions (id) {
        id -> BigInt,
        object_ap_id -> Text,
        kind -> Text,
        actor_id -> BigInt,
        actor_domain -> Text,
        actor_published -> Nullable<Timestamp>,
        activity_ap_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    policy_versions (id) {
        id -> BigInt,
        kind -> Text,
        version -> Integer,
        content -> Text,
        digest -> Text,
        published_at -> Timestamp,
    }
}

diesel::table! {
    exports (id) {
        id -> BigInt,
        user_id -> BigInt,
        status -> Text,
        progress -> Integer,
        file -> Nullable<Text>,
        size -> Nullable<BigInt>,
        error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        initiative_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    energy_days (day) {
        day -> Text,
        bytes_in -> BigInt,
        bytes_out -> BigInt,
        deliveries -> BigInt,
        cpu_ms -> BigInt,
        db_bytes -> BigInt,
    }
}

diesel::table! {
    tombstones (id_hash) {
        id_hash -> Text,
        former_type -> Text,
        deleted_at -> Timestamp,
    }
}

diesel::table! {
    account_filters (id) {
        id -> BigInt,
        actor_id -> BigInt,
        kind -> Text,
        target_id -> Nullable<BigInt>,
        domain -> Nullable<Text>,
        hide_notifications -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    moved_petitions (petition_id) {
        petition_id -> BigInt,
        former_ap_id -> Text,
        former_log -> Text,
        log_key -> Text,
        checkpoint -> Text,
        size -> BigInt,
        moved_at -> Timestamp,
    }
}

diesel::table! {
    imports (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        status -> Text,
        total -> BigInt,
        processed -> BigInt,
        failed -> BigInt,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        initiative_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    import_rows (import_id, line) {
        import_id -> BigInt,
        line -> BigInt,
        value -> Text,
        hide_notifications -> Bool,
        state -> Text,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    imported_records (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        data -> Text,
        digest -> Text,
        imported_at -> Timestamp,
    }
}

diesel::joinable!(initiatives -> actors (actor_id));
diesel::joinable!(users -> actors (actor_id));
diesel::joinable!(posts -> actors (author_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(petition_signatures -> petitions (petition_id));

diesel::allow_tables_to_appear_in_same_query!(
    appeals,
    account_filters,
    imports,
    import_rows,
    imported_records,
    moved_petitions,
    energy_days,
    tombstones,
    exports,
    policy_versions,
    labels,
    interactions,
    domain_policies,
    federation_log,
    actors,
    users,
    sessions,
    email_tokens,
    posts,
    follows,
    received_activities,
    jobs,
    instances,
    rate_limits,
    initiatives,
    initiative_tags,
    initiative_members,
    petitions,
    petition_signatures,
    petition_invalidations,
    petition_log_leaves,
    petition_log_hashes,
    petition_tallies,
    node_keys,
    petition_witnessing,
    petition_cosignatures,
    reports,
);
