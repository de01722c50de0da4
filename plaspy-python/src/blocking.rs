//! `plaspy.Client`'s native half: the blocking client, its feed and its history pager.
//! Every call that may wait on the network releases the GIL (`py.detach`).

use std::sync::{Arc, Mutex, PoisonError};

use plaspy_blocking::history::Pager;
use plaspy_types::LocationsQuery;
use plaspy_types::feed::FeedCursor;
use pyo3::prelude::*;

use crate::dispatch::{SdkJson, json, run_blocking};
use crate::error::Failure;
use crate::ops::{FeedSpec, HistorySpec, Op, millis};
use crate::settings::Settings;

/// The blocking client (`plaspy._native.NativeClient`).
#[pyclass(module = "plaspy._native", frozen)]
pub struct NativeClient {
    client: plaspy_blocking::Client,
}

#[pymethods]
impl NativeClient {
    /// A client from credentials and settings (see [`Settings`]).
    #[new]
    #[pyo3(signature = (username, api_key, base_url=None, timeout_ms=None, rate_limit=None))]
    fn new(
        username: String,
        api_key: String,
        base_url: Option<String>,
        timeout_ms: Option<u64>,
        rate_limit: Option<u32>,
    ) -> Result<Self, Failure> {
        let settings = Settings {
            base_url,
            timeout_ms,
            rate_limit,
        };
        let builder = plaspy_blocking::Client::builder().credentials(username, api_key);
        Ok(NativeClient {
            client: settings.apply_blocking(builder).build()?,
        })
    }

    /// A client from `PLASPY_USERNAME`, `PLASPY_API_KEY`, `PLASPY_BASE_URL`.
    #[staticmethod]
    fn from_env() -> Result<Self, Failure> {
        Ok(NativeClient {
            client: plaspy_blocking::Client::from_env()?,
        })
    }

    /// The account's user name.
    #[getter]
    fn username(&self) -> String {
        self.client.credentials().username.clone()
    }

    /// The base URL requests go to.
    #[getter]
    fn base_url(&self) -> String {
        self.client.base_url().to_owned()
    }

    /// Runs one op (JSON) and answers JSON, with the GIL released.
    fn call(&self, py: Python<'_>, op: &str) -> Result<String, Failure> {
        let op = Op::parse(op)?;
        py.detach(|| run_blocking(&self.client, op))
    }

    /// A feed (spec as JSON).
    fn feed(&self, spec: &str) -> Result<NativeFeed, Failure> {
        let spec = FeedSpec::parse(spec)?;
        let mut builder = self.client.feed();
        if let Some(devices) = spec.devices {
            builder = builder.devices(devices);
        }
        if let Some(group) = spec.group {
            builder = builder.group(group);
        }
        if let Some(since) = spec.since {
            builder = builder.since(since.utc()?);
        }
        if let Some(ago) = spec.since_ago_ms {
            builder = builder.since_ago(millis(ago));
        }
        if let Some(cursor) = spec.cursor {
            builder = builder.resume(cursor);
        }
        if let Some(interval) = spec.interval_ms {
            builder = builder.interval(millis(interval));
        }
        let feed = builder.build();
        let cursor = Arc::new(Mutex::new(feed.cursor()));
        Ok(NativeFeed {
            feed: Mutex::new(feed),
            cursor,
        })
    }

    /// The location history pager (spec as JSON).
    fn location_history(&self, spec: &str) -> Result<NativeHistory, Failure> {
        let spec = HistorySpec::parse(spec)?;
        let history =
            self.client
                .devices()
                .location_history(&spec.id, spec.start.utc()?, spec.end.utc()?);
        Ok(NativeHistory {
            pager: Mutex::new(history.pages()),
        })
    }
}

/// A blocking feed (`plaspy._native.NativeFeed`).
#[pyclass(module = "plaspy._native", frozen)]
pub struct NativeFeed {
    feed: Mutex<plaspy_blocking::Feed>,
    /// The cursor after the last item handed out: readable while another thread waits.
    cursor: Arc<Mutex<FeedCursor>>,
}

#[pymethods]
impl NativeFeed {
    /// The next event as JSON, waiting (GIL released) until there is one.
    fn next_event(&self, py: Python<'_>) -> SdkJson {
        py.detach(|| {
            let mut feed = self.feed.lock().unwrap_or_else(PoisonError::into_inner);
            let event = feed.next_event()?;
            *self.cursor.lock().unwrap_or_else(PoisonError::into_inner) = feed.cursor();
            json(&event)
        })
    }

    /// The cursor (JSON) covering exactly the events handed out.
    fn cursor(&self) -> SdkJson {
        json(&*self.cursor.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A blocking history pager (`plaspy._native.NativeHistory`).
#[pyclass(module = "plaspy._native", frozen)]
pub struct NativeHistory {
    pager: Mutex<Pager<LocationsQuery>>,
}

#[pymethods]
impl NativeHistory {
    /// The next window's fixes as JSON, or `None` at the end.
    fn next_page(&self, py: Python<'_>) -> Result<Option<String>, Failure> {
        py.detach(|| {
            let mut pager = self.pager.lock().unwrap_or_else(PoisonError::into_inner);
            match pager.next_page() {
                Some(page) => Ok(Some(json(&page?)?)),
                None => Ok(None),
            }
        })
    }
}
