//! `plaspy.AsyncClient`'s native half: the async client on a tokio runtime shared by the
//! process (pyo3-async-runtimes), its feed and its history pager. Each call returns an
//! asyncio awaitable; the Rust future runs on the runtime, without the GIL.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::{Stream, StreamExt};
use plaspy_types::feed::FeedCursor;
use plaspy_types::{Location, Result as SdkResult};
use pyo3::prelude::*;

use crate::dispatch::{json, run_async};
use crate::error::Failure;
use crate::ops::{FeedSpec, HistorySpec, Op, millis};
use crate::settings::Settings;

/// The async client (`plaspy._native.NativeAsyncClient`).
#[pyclass(module = "plaspy._native", frozen)]
pub struct NativeAsyncClient {
    client: plaspy_async::Client,
}

/// A stream shared between the awaitables `__anext__` hands out.
type Shared<T> = Arc<tokio::sync::Mutex<Pin<Box<dyn Stream<Item = SdkResult<T>> + Send>>>>;

#[pymethods]
impl NativeAsyncClient {
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
        let builder = plaspy_async::Client::builder().credentials(username, api_key);
        // reqwest's client wants a runtime in reach when it is built.
        let _guard = pyo3_async_runtimes::tokio::get_runtime().enter();
        Ok(NativeAsyncClient {
            client: settings.apply_async(builder).build()?,
        })
    }

    /// A client from `PLASPY_USERNAME`, `PLASPY_API_KEY`, `PLASPY_BASE_URL`.
    #[staticmethod]
    fn from_env() -> Result<Self, Failure> {
        let _guard = pyo3_async_runtimes::tokio::get_runtime().enter();
        Ok(NativeAsyncClient {
            client: plaspy_async::Client::from_env()?,
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

    /// Runs one op (JSON): an awaitable of the answer (JSON).
    fn call<'py>(&self, py: Python<'py>, op: &str) -> PyResult<Bound<'py, PyAny>> {
        let op = Op::parse(op)?;
        let client = self.client.clone();
        pyo3_async_runtimes::tokio::future_into_py(
            py,
            async move { Ok(run_async(&client, op).await?) },
        )
    }

    /// A feed (spec as JSON).
    fn feed(&self, spec: &str) -> Result<NativeAsyncFeed, Failure> {
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
        let inner = Arc::new(tokio::sync::Mutex::new(feed));
        Ok(NativeAsyncFeed { inner, cursor })
    }

    /// The location history pager (spec as JSON).
    fn location_history(&self, spec: &str) -> Result<NativeAsyncHistory, Failure> {
        let spec = HistorySpec::parse(spec)?;
        let history =
            self.client
                .devices()
                .location_history(&spec.id, spec.start.utc()?, spec.end.utc()?);
        let pages: Pin<Box<dyn Stream<Item = SdkResult<Vec<Location>>> + Send>> =
            Box::pin(history.pages().into_stream());
        Ok(NativeAsyncHistory {
            pages: Arc::new(tokio::sync::Mutex::new(pages)),
        })
    }
}

/// An async feed (`plaspy._native.NativeAsyncFeed`).
#[pyclass(module = "plaspy._native", frozen)]
pub struct NativeAsyncFeed {
    inner: Arc<tokio::sync::Mutex<plaspy_async::Feed>>,
    /// The cursor after the last item handed out: readable while a poll is under way.
    cursor: Arc<Mutex<FeedCursor>>,
}

#[pymethods]
impl NativeAsyncFeed {
    /// An awaitable of the next event (JSON), polling until there is one.
    fn next_event<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let (inner, cursor) = (Arc::clone(&self.inner), Arc::clone(&self.cursor));
        pyo3_async_runtimes::tokio::future_into_py(py, async move {
            let mut feed = inner.lock().await;
            let event = feed.next_event().await.map_err(Failure::from)?;
            *cursor.lock().unwrap_or_else(PoisonError::into_inner) = feed.cursor();
            Ok(json(&event)?)
        })
    }

    /// The cursor (JSON) covering exactly the events handed out.
    fn cursor(&self) -> Result<String, Failure> {
        json(&*self.cursor.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// An async history pager (`plaspy._native.NativeAsyncHistory`).
#[pyclass(module = "plaspy._native", frozen)]
pub struct NativeAsyncHistory {
    pages: Shared<Vec<Location>>,
}

#[pymethods]
impl NativeAsyncHistory {
    /// An awaitable of the next window's fixes (JSON), or `None` at the end.
    fn next_page<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pages = Arc::clone(&self.pages);
        pyo3_async_runtimes::tokio::future_into_py(py, async move {
            let mut pages = pages.lock().await;
            match pages.next().await {
                Some(page) => Ok(Some(json(&page.map_err(Failure::from)?)?)),
                None => Ok(None),
            }
        })
    }
}
