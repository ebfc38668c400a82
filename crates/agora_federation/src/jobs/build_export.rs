//! The `build_export` job: writes an account's archive (`crate::archive`), or an initiative's
//! (`crate::initiative_archive`), under
//! `{data_dir}/exports`, its progress on the export's row as it goes. In the database queue, so
//! a restart builds it again from the start.

use super::{Done, JobFailure, Lease, Runner, retry};
use crate::config::FederationData;
use agora_service::export::{self, BuildExport};
use std::sync::{
    Arc,
    atomic::{AtomicI32, Ordering},
};

#[async_trait::async_trait]
impl Runner for BuildExport {
    async fn run(self, _lease: &Lease, data: &FederationData) -> Result<Done, JobFailure> {
        let ctx = data.app_data();
        let id = self.export_id;
        let (user_id, initiative) = match export::subject_of(ctx, id).await {
            Ok(subject) => subject,
            // The account was deleted meanwhile, and its exports with it.
            Err(e) if e.kind == agora_core::ErrorKind::NotFound => return Ok(Done::Finished),
            Err(e) => return Err(retry(e)),
        };
        let file = format!("{id}-{}.zip", uuid::Uuid::new_v4().simple());
        let out = export::folder(ctx).join(&file);
        export::progress(ctx, id, 0).await.map_err(retry)?;
        // The writer calls back synchronously; the row is updated from here, twice a second.
        let done = Arc::new(AtomicI32::new(0));
        let ticker = {
            let (ctx, done) = (ctx.clone(), done.clone());
            tokio::spawn(async move {
                let mut last = 0;
                loop {
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                    let now = done.load(Ordering::Relaxed);
                    if now != last {
                        last = now;
                        let _ = export::progress(&ctx, id, now).await;
                    }
                }
            })
        };
        let progress = |p| done.store(p, Ordering::Relaxed);
        let written = match initiative {
            None => crate::archive::write(ctx, user_id, &out, progress).await,
            Some(initiative) => {
                crate::initiative_archive::write(ctx, initiative, &out, progress).await
            }
        };
        ticker.abort();
        let result = written
            .map(|size| (file, size as i64))
            .map_err(|e| e.to_string());
        export::finish(ctx, id, result).await.map_err(retry)?;
        Ok(Done::Finished)
    }
}
