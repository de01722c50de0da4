//! The two cities the demo fleet drives in, with their named zones.

use super::geo::Point;

/// A named circular zone; entering or leaving it raises an alert.
#[derive(Debug)]
pub(crate) struct Zone {
    /// The zone's name, as shown in alerts.
    pub(crate) name: &'static str,
    /// Its centre.
    pub(crate) center: Point,
    /// Its radius in kilometres.
    pub(crate) radius_km: f64,
}

impl Zone {
    /// Whether `p` lies inside the zone.
    pub(crate) fn contains(&self, p: Point) -> bool {
        self.center.distance_km(p) <= self.radius_km
    }
}

/// A city: where routes are drawn, the depot they start from, and its zones.
#[derive(Debug)]
pub(crate) struct City {
    /// The city's name.
    pub(crate) name: &'static str,
    /// Routes are drawn around this point.
    pub(crate) center: Point,
    /// The smallest and largest distance of a route's stops from the centre (km).
    pub(crate) radius_km: (f64, f64),
    /// The depot zone every route starts and ends in (zones[0]).
    pub(crate) zones: &'static [Zone],
}

impl City {
    /// The depot zone.
    pub(crate) fn depot(&self) -> &Zone {
        &self.zones[0]
    }
}

/// Bogotá, D.C.
pub(crate) static BOGOTA: City = City {
    name: "Bogotá",
    center: Point::new(4.6486, -74.0940),
    radius_km: (2.5, 8.0),
    zones: &[
        Zone {
            name: "Bodega Montevideo",
            center: Point::new(4.6465, -74.1160),
            radius_km: 0.6,
        },
        Zone {
            name: "Centro Internacional",
            center: Point::new(4.6140, -74.0700),
            radius_km: 1.2,
        },
        Zone {
            name: "Chapinero",
            center: Point::new(4.6490, -74.0630),
            radius_km: 1.2,
        },
        Zone {
            name: "Aeropuerto El Dorado",
            center: Point::new(4.7016, -74.1469),
            radius_km: 1.8,
        },
        Zone {
            name: "Usaquén",
            center: Point::new(4.6950, -74.0310),
            radius_km: 1.3,
        },
        Zone {
            name: "Kennedy",
            center: Point::new(4.6280, -74.1530),
            radius_km: 1.5,
        },
    ],
};

/// Medellín.
pub(crate) static MEDELLIN: City = City {
    name: "Medellín",
    center: Point::new(6.2442, -75.5812),
    radius_km: (2.0, 7.0),
    zones: &[
        Zone {
            name: "Bodega Guayabal",
            center: Point::new(6.2150, -75.5880),
            radius_km: 0.6,
        },
        Zone {
            name: "El Poblado",
            center: Point::new(6.2088, -75.5670),
            radius_km: 1.3,
        },
        Zone {
            name: "Centro Medellín",
            center: Point::new(6.2476, -75.5658),
            radius_km: 1.1,
        },
        Zone {
            name: "Laureles",
            center: Point::new(6.2450, -75.5950),
            radius_km: 1.0,
        },
        Zone {
            name: "Bello",
            center: Point::new(6.3370, -75.5580),
            radius_km: 1.6,
        },
    ],
};
