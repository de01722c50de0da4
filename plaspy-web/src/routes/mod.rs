//! The HTTP routes, by what they serve: [`pages`] (the pages and their embedded assets),
//! [`api`] (the JSON the pages read), [`downloads`] (CSV, GPX, GeoJSON) and [`guards`]
//! (who may ask: `Host`, cross-site requests, and the security headers of every answer).
//!
//! Every route reads the API through [`App`]'s shared caches: the fleet, and each device's
//! day, are fetched once however many pages ask for them.

mod api;
mod downloads;
mod guards;
mod pages;

use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::middleware;
use chrono::Utc;
use plaspy_async::Client;

use crate::cache::Shared;
use crate::config::DashboardConfig;
use crate::day::{Day, DayQuery};
use crate::failure::Failure;
use crate::source::{self, DeviceDay};
use crate::view::{self, FleetView};

/// How many device days are kept at once (each holds up to a day of fixes).
const DEVICE_DAYS_KEPT: usize = 16;

/// What every handler shares.
pub(crate) struct App {
    client: Client,
    config: DashboardConfig,
    /// The last fleet snapshot, shared by every open page.
    fleet: Shared<(), FleetView>,
    /// Device days by (id, day), shared by the device pages and the downloads.
    days: Shared<(String, Day), DeviceDay>,
}

/// The dashboard's routes. With `loopback_only`, requests naming another host in `Host`
/// are refused, so that a web page cannot reach the dashboard through DNS rebinding.
pub(crate) fn router(client: Client, config: DashboardConfig, loopback_only: bool) -> Router {
    let csp = guards::content_security_policy(&config.tile_url);
    let reuse = config.refresh / 2;
    let app = Arc::new(App {
        client,
        fleet: Shared::new(reuse, config.failure_memory, 1),
        days: Shared::new(reuse, config.failure_memory, DEVICE_DAYS_KEPT),
        config,
    });
    let host = guards::HostPolicy { loopback_only };
    Router::new()
        .merge(pages::routes())
        .merge(api::routes().route_layer(middleware::from_fn(guards::same_origin)))
        .merge(downloads::routes())
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(host, guards::host))
        .layer(middleware::from_fn_with_state(
            Arc::new(csp),
            guards::security_headers,
        ))
        .with_state(app)
}

impl App {
    /// The fleet now, reusing a snapshot younger than half the refresh interval (and a
    /// failure younger than `failure_memory`): any number of open pages cost the API one
    /// round of requests per interval.
    async fn fleet(&self) -> Result<Arc<FleetView>, Failure> {
        self.fleet
            .get((), || async {
                let entries = source::fleet(&self.client, self.config.concurrency).await?;
                Ok(view::fleet_view(
                    &entries,
                    Utc::now(),
                    &self.config.thresholds,
                ))
            })
            .await
    }

    /// A device's day, shared like the fleet: the page, its refreshes and its downloads
    /// cost the API one round of requests per interval.
    async fn device_day(
        &self,
        id: String,
        query: Result<axum::extract::Query<DayQuery>, QueryRejection>,
    ) -> Result<(Day, Arc<DeviceDay>), Failure> {
        let query = query.map_err(|e| Failure::bad_request(e.body_text()))?;
        let day = query.day(Utc::now()).map_err(Failure::bad_request)?;
        let data = self
            .days
            .get((id.clone(), day), || async {
                Ok(source::device_day(&self.client, &id, day.from, day.to).await?)
            })
            .await?;
        Ok((day, data))
    }
}
