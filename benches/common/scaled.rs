//! The root types of the 10x and 100x documents, one per contender: the
//! Phoenix sections (with their variables) and 9 or 99 mirrors `m01`, ….

use super::{ToPlain, confique_types, phoenix, plain, settings};

/// Declares `Phoenix`, `Serde` and `Confique` roots with these mirror fields.
macro_rules! scaled {
    ($module:ident; $($m:ident),+ $(,)?) => {
        pub(crate) mod $module {
            use super::{ToPlain, confique_types, phoenix, plain, settings};
            use phoenix_config::PhoenixConfig;

            #[derive(PhoenixConfig)]
            #[config(prefix = "PHOENIX")]
            pub(crate) struct Phoenix {
                #[config(nested)]
                pub(crate) database: settings::Database,
                #[config(nested)]
                pub(crate) collection: settings::Collection,
                #[config(nested)]
                pub(crate) proxy: settings::Proxy,
                #[config(nested)]
                pub(crate) api_keys: settings::ApiKeys,
                #[config(nested)]
                pub(crate) logging: settings::Logging,
                #[config(nested)]
                pub(crate) processing: settings::Processing,
                #[config(nested)]
                pub(crate) security: settings::Security,
                $(
                    #[config(nested)]
                    pub(crate) $m: phoenix::Mirror,
                )+
            }

            #[derive(serde::Deserialize)]
            pub(crate) struct Serde {
                pub(crate) database: plain::Database,
                pub(crate) collection: plain::Collection,
                pub(crate) proxy: plain::Proxy,
                #[serde(default)]
                pub(crate) api_keys: plain::ApiKeys,
                pub(crate) logging: plain::Logging,
                pub(crate) processing: plain::Processing,
                pub(crate) security: plain::Security,
                $(pub(crate) $m: plain::Settings,)+
            }

            #[derive(confique::Config)]
            pub(crate) struct Confique {
                #[config(nested)]
                pub(crate) database: confique_types::Database,
                #[config(nested)]
                pub(crate) collection: confique_types::Collection,
                #[config(nested)]
                pub(crate) proxy: confique_types::Proxy,
                #[config(nested)]
                pub(crate) api_keys: confique_types::ApiKeys,
                #[config(nested)]
                pub(crate) logging: confique_types::Logging,
                #[config(nested)]
                pub(crate) processing: confique_types::Processing,
                #[config(nested)]
                pub(crate) security: confique_types::Security,
                $(
                    #[config(nested)]
                    pub(crate) $m: confique_types::Mirror,
                )+
            }

            impl ToPlain for Phoenix {
                fn to_plain(&self) -> plain::Scaled {
                    plain::Scaled {
                        main: plain::Settings {
                            database: (&self.database).into(),
                            collection: (&self.collection).into(),
                            proxy: (&self.proxy).into(),
                            api_keys: (&self.api_keys).into(),
                            logging: (&self.logging).into(),
                            processing: (&self.processing).into(),
                            security: (&self.security).into(),
                        },
                        mirrors: vec![$((&self.$m).into()),+],
                    }
                }
            }

            impl ToPlain for Serde {
                fn to_plain(&self) -> plain::Scaled {
                    plain::Scaled {
                        main: plain::Settings {
                            database: self.database.clone(),
                            collection: self.collection.clone(),
                            proxy: self.proxy.clone(),
                            api_keys: self.api_keys.clone(),
                            logging: self.logging.clone(),
                            processing: self.processing.clone(),
                            security: self.security.clone(),
                        },
                        mirrors: vec![$(self.$m.clone()),+],
                    }
                }
            }

            impl ToPlain for Confique {
                fn to_plain(&self) -> plain::Scaled {
                    plain::Scaled {
                        main: plain::Settings {
                            database: (&self.database).into(),
                            collection: (&self.collection).into(),
                            proxy: (&self.proxy).into(),
                            api_keys: (&self.api_keys).into(),
                            logging: (&self.logging).into(),
                            processing: (&self.processing).into(),
                            security: (&self.security).into(),
                        },
                        mirrors: vec![$((&self.$m).into()),+],
                    }
                }
            }
        }
    };
}

scaled!(x10; m01, m02, m03, m04, m05, m06, m07, m08, m09);

scaled!(x100;
    m01, m02, m03, m04, m05, m06, m07, m08, m09, m10, m11, m12, m13, m14,
    m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28,
    m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42,
    m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56,
    m57, m58, m59, m60, m61, m62, m63, m64, m65, m66, m67, m68, m69, m70,
    m71, m72, m73, m74, m75, m76, m77, m78, m79, m80, m81, m82, m83, m84,
    m85, m86, m87, m88, m89, m90, m91, m92, m93, m94, m95, m96, m97, m98,
    m99
);
