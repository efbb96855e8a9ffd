//! A synthetic organisation for the benchmark (docs/performance.md, scripts/bench).
//!
//! ```text
//! cargo run --release --example synth -- --fields 20000 --out /tmp/bench-20k [--seed 7]
//! ```
//!
//! Writes a lawful project with `--fields` generated dataset fields, spread the way a large
//! company splits its manifests: one file per system, `systems/<team>/<system>/datasets.yaml`
//! (25–50 fields each), one file per team, `teams/<team>.yaml` (its purposes, recipients and
//! roles), and `suppressions.yaml`. The core of the organisation (its establishments in DE,
//! CN and US-CA, subjects, purposes, consents, recipients, notices, rights and assessments,
//! and the seven sakila datasets with their flows) is the project in `examples/sakila`,
//! copied under `core/`, so every regime applies and every regulatory rule has real work.
//!
//! Each team's purpose lists its `datasets:`. With `--infer-datasets` it does not, and
//! lawful infers them from its categories: every team's purpose then uses every dataset of
//! the company holding one of its categories, a relation of datasets × purposes pairs.
//!
//! The output is a function of `--fields`, `--seed` and `--infer-datasets` alone: the same bytes on every run
//! and every machine (a splitmix64 generator, no clock, no hash-map order). The output folder
//! must not exist or be empty.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

/// The sakila example, the core of the synthetic organisation: `(path in the output, text)`.
const CORE: &[(&str, &str)] = &[
    ("lawful.yaml", include_str!("sakila/lawful.yaml")),
    ("core/purposes.yaml", include_str!("sakila/purposes.yaml")),
    (
        "core/recipients.yaml",
        include_str!("sakila/recipients.yaml"),
    ),
    ("core/flows.yaml", include_str!("sakila/flows.yaml")),
    ("core/roles.yaml", include_str!("sakila/roles.yaml")),
    (
        "core/suppressions.yaml",
        include_str!("sakila/suppressions.yaml"),
    ),
    ("core/notices.yaml", include_str!("sakila/notices.yaml")),
    ("core/rights.yaml", include_str!("sakila/rights.yaml")),
    (
        "core/assessments.yaml",
        include_str!("sakila/assessments.yaml"),
    ),
    (
        "core/datasets/address.yaml",
        include_str!("sakila/datasets/address.yaml"),
    ),
    (
        "core/datasets/cn_orders.yaml",
        include_str!("sakila/datasets/cn_orders.yaml"),
    ),
    (
        "core/datasets/consent_log.yaml",
        include_str!("sakila/datasets/consent_log.yaml"),
    ),
    (
        "core/datasets/customer.yaml",
        include_str!("sakila/datasets/customer.yaml"),
    ),
    (
        "core/datasets/payment.yaml",
        include_str!("sakila/datasets/payment.yaml"),
    ),
    (
        "core/datasets/rental.yaml",
        include_str!("sakila/datasets/rental.yaml"),
    ),
    (
        "core/datasets/staff.yaml",
        include_str!("sakila/datasets/staff.yaml"),
    ),
];

/// splitmix64: small, fast and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Business areas a team works in: `(id word, English, Chinese)`.
const AREAS: &[(&str, &str, &str)] = &[
    ("checkout", "checkout", "结算"),
    ("loyalty", "loyalty programme", "会员积分"),
    ("search", "search", "搜索"),
    ("catalogue", "catalogue", "商品目录"),
    ("logistics", "logistics", "物流"),
    ("support", "customer support", "客户服务"),
    ("identity", "sign-in", "账户登录"),
    ("growth", "growth marketing", "增长营销"),
    ("payments", "payments", "支付"),
    ("fraud", "fraud prevention", "反欺诈"),
    ("analytics", "product analytics", "产品分析"),
    ("stores", "store operations", "门店运营"),
    ("people", "human resources", "人力资源"),
    ("mobile", "mobile app", "移动应用"),
    ("streaming", "streaming", "在线播放"),
    ("reviews", "reviews", "用户评价"),
];

/// Kinds of table, each with the columns it may hold: `(table word, subject, columns)`,
/// a column being `(name, category, SQL type)`.
type Column = (&'static str, &'static str, &'static str);
const TABLES: &[(&str, &str, &[Column])] = &[
    (
        "accounts",
        "customers",
        &[
            ("email", "contact.email", "text"),
            ("phone", "contact.phone", "text"),
            ("first_name", "identity.name", "text"),
            ("last_name", "identity.name", "text"),
            ("username", "account.username", "text"),
            ("birth_date", "identity.date_of_birth", "date"),
            ("gender", "identity.gender", "text"),
            ("street", "contact.postal_address", "text"),
            ("postcode", "contact.postal_address", "text"),
            ("city", "contact.postal_address", "text"),
            ("country_code", "location.coarse", "text"),
            ("preferred_language", "behaviour.preferences", "text"),
            ("marketing_opt_in", "account", "boolean"),
            ("created_at", "account", "timestamptz"),
            ("status", "account", "text"),
            ("tier", "account", "text"),
        ],
    ),
    (
        "orders",
        "customers",
        &[
            ("order_no", "behaviour.purchases", "text"),
            ("items", "behaviour.purchases", "jsonb"),
            ("total_amount", "financial.transactions", "numeric"),
            ("currency", "non_personal.reference", "text"),
            ("shipping_name", "identity.name", "text"),
            ("shipping_address", "contact.postal_address", "text"),
            ("shipping_phone", "contact.phone", "text"),
            ("placed_at", "behaviour.purchases", "timestamptz"),
            ("channel", "non_personal.operational", "text"),
            ("coupon_code", "behaviour.purchases", "text"),
            ("store_id", "non_personal.operational", "integer"),
            ("gift_message", "communications.message_contents", "text"),
        ],
    ),
    (
        "events",
        "customers",
        &[
            ("session_id", "identifier.cookie_id", "text"),
            ("device_id", "identifier.device_id", "text"),
            ("ip_address", "device.ip_address", "inet"),
            ("user_agent", "device.user_agent", "text"),
            ("page", "behaviour.browsing", "text"),
            ("referrer", "behaviour.browsing", "text"),
            ("search_terms", "behaviour.searches", "text"),
            ("screen", "behaviour.app_usage", "text"),
            ("ad_click_id", "behaviour.ad_interactions", "text"),
            ("city_guess", "location.coarse", "text"),
            ("os", "device.os", "text"),
            ("model", "device.model", "text"),
            ("occurred_at", "behaviour.app_usage", "timestamptz"),
        ],
    ),
    (
        "payments",
        "customers",
        &[
            ("amount", "financial.transactions", "numeric"),
            ("card_last4", "financial.card_number", "text"),
            ("card_token", "financial.payment_account", "text"),
            ("payer_name", "identity.name", "text"),
            ("billing_address", "contact.postal_address", "text"),
            ("paid_at", "financial.transactions", "timestamptz"),
            ("refund_reason", "financial.transactions", "text"),
            ("psp_reference", "non_personal.operational", "text"),
        ],
    ),
    (
        "tickets",
        "customers",
        &[
            ("subject_line", "communications.message_contents", "text"),
            ("body", "communications.message_contents", "text"),
            ("contact_email", "contact.email", "text"),
            ("contact_phone", "contact.phone", "text"),
            ("call_recording_url", "audio_visual.call_recording", "text"),
            ("satisfaction", "behaviour.preferences", "integer"),
            ("opened_at", "non_personal.operational", "timestamptz"),
            ("queue", "non_personal.operational", "text"),
        ],
    ),
    (
        "locations",
        "customers",
        &[
            ("latitude", "location.precise", "double precision"),
            ("longitude", "location.precise", "double precision"),
            ("accuracy_m", "location.precise", "integer"),
            ("region", "location.coarse", "text"),
            ("device_id", "identifier.device_id", "text"),
            ("recorded_at", "location.precise", "timestamptz"),
        ],
    ),
    (
        "segments",
        "customers",
        &[
            ("segment", "inference.segment", "text"),
            ("propensity", "inference.profile", "numeric"),
            ("interests", "behaviour.preferences", "jsonb"),
            ("advertising_id", "device.advertising_id", "text"),
            ("lifetime_value", "inference.profile", "numeric"),
            ("last_campaign", "behaviour.ad_interactions", "text"),
        ],
    ),
    (
        "staff",
        "employees",
        &[
            ("full_name", "identity.name", "text"),
            ("work_email", "contact.email", "text"),
            ("mobile", "contact.phone", "text"),
            ("job_title", "employment.job_title", "text"),
            ("salary", "employment.salary", "numeric"),
            ("review_score", "employment.performance", "integer"),
            ("badge_photo", "identity.photo", "bytea"),
            ("hired_on", "employment.history", "date"),
            ("shift", "employment.attendance", "text"),
            ("login", "account.username", "text"),
            ("emergency_contact", "contact.emergency_contact", "text"),
        ],
    ),
];

/// Where systems run, weighted: head office, China branch, US store, cloud region.
const SYSTEM_COUNTRIES: &[&str] = &["DE", "DE", "DE", "DE", "CN", "CN", "US", "US", "NL", "IE"];

/// Outside vendors: `(id word, legal name, country, gdpr role, pipl role, ccpa role)`.
const VENDORS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "crm",
        "Northwind CRM Inc.",
        "US",
        "processor",
        "entrusted_party",
        "service_provider",
    ),
    (
        "analytics",
        "Blueline Analytics Pvt. Ltd.",
        "IN",
        "processor",
        "entrusted_party",
        "service_provider",
    ),
    (
        "cloud",
        "Nimbus Cloud K.K.",
        "JP",
        "processor",
        "entrusted_party",
        "service_provider",
    ),
    (
        "sms",
        "Pelican SMS Ltda.",
        "BR",
        "processor",
        "entrusted_party",
        "service_provider",
    ),
    (
        "ads",
        "Adwave Pte. Ltd.",
        "SG",
        "controller",
        "other_handler",
        "third_party",
    ),
    (
        "courier",
        "Schnell Kurier GmbH",
        "DE",
        "controller",
        "other_handler",
        "third_party",
    ),
    (
        "helpdesk",
        "Deskly B.V.",
        "NL",
        "processor",
        "entrusted_party",
        "service_provider",
    ),
    (
        "cn_cloud",
        "云杉数据科技（上海）有限公司",
        "CN",
        "processor",
        "entrusted_party",
        "service_provider",
    ),
];

/// The project-wide purposes of the sakila core that generated datasets are collected for.
const CORE_PURPOSES: &[&str] = &["rental_service", "customer_support", "marketing_email"];

struct Args {
    fields: usize,
    out: PathBuf,
    seed: u64,
    infer: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut fields = None;
    let mut out = None;
    let mut seed = 1u64;
    let mut infer = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--fields" => {
                fields = Some(val()?.parse().map_err(|e| format!("--fields: {e}"))?);
            }
            "--out" => out = Some(PathBuf::from(val()?)),
            "--seed" => seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--infer-datasets" => infer = true,
            "-h" | "--help" => {
                return Err(
                    "usage: synth --fields N --out DIR [--seed S] [--infer-datasets]".into(),
                );
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Args {
        fields: fields.ok_or("--fields N is required")?,
        out: out.ok_or("--out DIR is required")?,
        seed,
        infer,
    })
}

/// A double-quoted YAML scalar.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// One generated dataset, remembered for flows, roles and purposes.
struct Dataset {
    id: String,
    country: &'static str,
    categories: BTreeSet<&'static str>,
}

struct System {
    id: String,
    datasets: Vec<Dataset>,
}

struct Team {
    id: String,
    area: usize,
    systems: Vec<System>,
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("synth: {e}");
            std::process::exit(2);
        }
    };
    if args.out.exists()
        && std::fs::read_dir(&args.out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        eprintln!("synth: {} exists and is not empty", args.out.display());
        std::process::exit(2);
    }
    let files = generate(args.fields, args.seed, args.infer);
    let mut bytes = 0;
    for (path, text) in &files {
        let p = args.out.join(path);
        std::fs::create_dir_all(p.parent().expect("a file has a folder"))
            .and_then(|()| std::fs::write(&p, text))
            .unwrap_or_else(|e| {
                eprintln!("synth: cannot write {}: {e}", p.display());
                std::process::exit(2);
            });
        bytes += text.len();
    }
    eprintln!(
        "synth: wrote {} files ({bytes} bytes) with {} generated fields to {}",
        files.len(),
        args.fields,
        args.out.display()
    );
}

/// The project's files, `(relative path, text)`, in a fixed order.
fn generate(fields: usize, seed: u64, infer: bool) -> Vec<(String, String)> {
    let mut rng = Rng(seed);
    let mut files: Vec<(String, String)> = CORE
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();

    // Lay out teams, systems and datasets first; every file refers to them.
    let mut teams: Vec<Team> = Vec::new();
    let mut left = fields;
    while left > 0 {
        let area = teams.len() % AREAS.len();
        let team = Team {
            id: format!("{}_{:04}", AREAS[area].0, teams.len()),
            area,
            systems: Vec::new(),
        };
        teams.push(team);
        let ti = teams.len() - 1;
        for s in 0..8 {
            if left == 0 {
                break;
            }
            let sys_id = format!("{}_s{s}", teams[ti].id);
            let country = *rng.pick(SYSTEM_COUNTRIES);
            let mut sys = System {
                id: sys_id,
                datasets: Vec::new(),
            };
            let mut file = String::new();
            let n_datasets = rng.range(2, 4);
            writeln!(
                file,
                "# The {} systems of team {}: one file per system, kept beside its code.\nsystems:\n  {}:\n    title: {{ en: {}, zh-CN: {} }}\n    owner: {}\n    country: {country}\n\ndatasets:",
                AREAS[area].1,
                teams[ti].id,
                sys.id,
                q(&format!("{} service {s}", AREAS[area].1)),
                q(&format!("{}服务 {s}", AREAS[area].2)),
                teams[ti].id,
            )
            .unwrap();
            for d in 0..n_datasets {
                if left == 0 {
                    break;
                }
                let (word, subject, columns) = *rng.pick(TABLES);
                let ds_id = format!("{}_{word}{d}", sys.id);
                // `id` and `updated_at` plus 4–14 columns; never more than is left.
                let extra = rng
                    .range(4, 14)
                    .min(columns.len())
                    .min(left.saturating_sub(2));
                let take = (extra + 2).min(left);
                left -= take;
                let mut ds = Dataset {
                    id: ds_id.clone(),
                    country,
                    categories: BTreeSet::new(),
                };
                let key_cat = if subject == "employees" {
                    "account.id"
                } else {
                    "identifier.customer_id"
                };
                let mut purposes: Vec<String> = vec![format!("{}_operations", teams[ti].id)];
                if subject == "customers" && rng.chance(40) {
                    purposes.push(rng.pick(CORE_PURPOSES).to_string());
                }
                purposes.sort();
                purposes.dedup();
                let period = *rng.pick(&["P1Y", "P2Y", "P3Y", "P6M"]);
                writeln!(
                    file,
                    "  {ds_id}:\n    title: {{ en: {}, zh-CN: {} }}\n    system: {}\n    storage: {{ engine: postgres, database: {}, schema: {}, table: {word}{d} }}\n    country: {country}\n    subjects: [{subject}]\n    source: subject\n    collected_for: {}\n    subject_key: id\n{}    encryption: {{ at_rest: true, in_transit: {} }}\n    fields:\n      id: {{ categories: [{key_cat}], type: bigint }}",
                    q(&format!("{} {word} {d}", AREAS[area].1)),
                    q(&format!("{}数据表 {word}{d}", AREAS[area].2)),
                    sys.id,
                    teams[ti].id,
                    format_args!("s{s}"),
                    list(&purposes),
                    // `updated_at`, the anchor, is the last column; a dataset of one column
                    // (the very last, to hit `--fields` exactly) keeps no retention.
                    if take >= 2 {
                        format!("    retention: {{ period: {period}, after: updated_at, then: delete }}\n")
                    } else {
                        String::new()
                    },
                    if rng.chance(95) { "true" } else { "false" },
                )
                .unwrap();
                ds.categories.insert(key_cat);
                if take >= 2 {
                    // Columns in a random order, the first `take - 2` of them.
                    let mut order: Vec<usize> = (0..columns.len()).collect();
                    for i in (1..order.len()).rev() {
                        order.swap(i, rng.range(0, i));
                    }
                    for &c in order.iter().take(take - 2) {
                        let (name, cat, ty) = columns[c];
                        ds.categories.insert(cat);
                        if rng.chance(10) {
                            writeln!(
                                file,
                                "      {name}:\n        categories: [{cat}]\n        type: {ty}\n        description: {}",
                                q(&format!("The {} of the row, as the {} team records it.", name.replace('_', " "), AREAS[area].1))
                            )
                            .unwrap();
                        } else {
                            writeln!(file, "      {name}: {{ categories: [{cat}], type: {ty} }}")
                                .unwrap();
                        }
                    }
                    writeln!(
                        file,
                        "      updated_at: {{ categories: [non_personal.operational], type: timestamptz }}"
                    )
                    .unwrap();
                    ds.categories.insert("non_personal.operational");
                }
                sys.datasets.push(ds);
            }
            // Flows: collection from the subject into each dataset.
            writeln!(file, "\nflows:").unwrap();
            for ds in &sys.datasets {
                let subject = if ds.categories.contains("account.id") {
                    "employees"
                } else {
                    "customers"
                };
                writeln!(
                    file,
                    "  - id: {}_collect\n    from: {subject}\n    to: {}\n    purposes: [{}_operations]",
                    ds.id, ds.id, teams[ti].id
                )
                .unwrap();
            }
            let path = format!("systems/{}/{}/datasets.yaml", teams[ti].id, sys.id);
            files.push((path, file));
            teams[ti].systems.push(sys);
        }
    }

    // Flows between systems and to vendors, in the file of the system they leave from;
    // written now that every dataset of the team is known.
    let mut file_index = CORE.len();
    let mut suppressions = String::from(
        "# Findings accepted by the privacy team, each with its reason and an expiry date.\nsuppressions:\n",
    );
    for (ti, team) in teams.iter().enumerate() {
        let purpose = format!("{}_operations", team.id);
        for (si, sys) in team.systems.iter().enumerate() {
            let file = &mut files[file_index].1;
            file_index += 1;
            let Some(first) = sys.datasets.first() else {
                continue;
            };
            // An onward flow to the next system of the team (a copy for reporting), which
            // crosses a border when the systems run in different countries.
            if let Some(next) = team.systems.get(si + 1).and_then(|s| s.datasets.first()) {
                let cats: Vec<String> = first
                    .categories
                    .iter()
                    .filter(|c| !c.starts_with("non_personal"))
                    .take(3)
                    .map(|c| c.to_string())
                    .collect();
                write!(
                    file,
                    "  - id: {}_to_{}\n    from: {}\n    to: {}\n    categories: {}\n    purposes: [{purpose}]\n",
                    first.id, next.id, first.id, next.id, list(&cats)
                )
                .unwrap();
                match (first.country, next.country) {
                    ("CN", to) if to != "CN" => write!(
                        file,
                        "    transfer: {{ pipl: standard_contract }}\n    volume: {{ subjects_per_year: {}, sensitive_subjects_per_year: 0 }}\n",
                        rng.range(1, 90) * 1000
                    )
                    .unwrap(),
                    ("DE" | "NL" | "IE", "US" | "CN") => {
                        writeln!(file, "    transfer: {{ gdpr: scc_c2c, tia: TIA-{ti:04} }}").unwrap()
                    }
                    _ => {}
                }
            }
            // A flow to one of the team's vendors (declared in the team's file), from which
            // the data may go onward to the sakila core's processors.
            if si % 3 == 0 {
                let v = (ti + si) % VENDORS.len();
                let rcp = format!("{}_{}", team.id, VENDORS[v].0);
                let src = sys.datasets.last().expect("at least one dataset");
                let cats: Vec<String> = src
                    .categories
                    .iter()
                    .filter(|c| !c.starts_with("non_personal"))
                    .take(2)
                    .map(|c| c.to_string())
                    .collect();
                write!(
                    file,
                    "  - id: {}_to_{rcp}\n    from: {}\n    to: {rcp}\n    categories: {}\n    purposes: [{purpose}]\n",
                    src.id, src.id, list(&cats)
                )
                .unwrap();
                let vc = VENDORS[v].2;
                if src.country == "CN" && vc != "CN" {
                    write!(
                        file,
                        "    transfer: {{ pipl: standard_contract }}\n    volume: {{ subjects_per_year: 20000, sensitive_subjects_per_year: 0 }}\n"
                    )
                    .unwrap();
                } else if matches!(src.country, "DE" | "NL" | "IE")
                    && !matches!(vc, "DE" | "NL" | "IE" | "JP")
                    && rng.chance(85)
                {
                    // The other 15 % lack a transfer tool: the findings of a real project.
                    let tool = if VENDORS[v].3 == "processor" {
                        "scc_c2p"
                    } else {
                        "scc_c2c"
                    };
                    writeln!(
                        file,
                        "    transfer: {{ gdpr: {tool}, tia: TIA-{ti:04}-{si} }}"
                    )
                    .unwrap();
                }
                if VENDORS[v].5 == "third_party" {
                    write!(
                        file,
                        "    sale: false\n    share: {}\n",
                        VENDORS[v].0 == "ads"
                    )
                    .unwrap();
                }
            }
        }
        // Every 10th team has accepted one finding on its purpose.
        if ti % 10 == 0 {
            writeln!(
                suppressions,
                "  - rule: PIPL-ART55-PIPIA-REQUIRED\n    target: purposes.{purpose}\n    reason: {}\n    expires: 2027-12-31",
                q(&format!("The PIPIA of the {} team is being redone with the new vendors; the DPO reviews it monthly.", AREAS[team.area].1))
            )
            .unwrap();
        }
    }
    files.push(("suppressions.yaml".into(), suppressions));

    // One file per team: its purpose, vendors and role.
    for (ti, team) in teams.iter().enumerate() {
        let (word, en, zh) = AREAS[team.area];
        let mut cats: BTreeSet<&str> = BTreeSet::new();
        let mut datasets: Vec<String> = Vec::new();
        for sys in &team.systems {
            for ds in &sys.datasets {
                cats.extend(
                    ds.categories
                        .iter()
                        .filter(|c| !c.starts_with("non_personal")),
                );
                datasets.push(ds.id.clone());
            }
        }
        let cats: Vec<String> = cats.iter().map(|c| c.to_string()).collect();
        let mut f = String::new();
        writeln!(
            f,
            "# Team {}: its purposes, vendors and database roles.\npurposes:\n  {}_operations:\n    title: {{ en: {}, zh-CN: {} }}\n    description:\n      en: {}\n      zh-CN: {}\n    legal_basis: {{ gdpr: contract, pipl: contract_or_hr, ccpa: business_purpose }}\n    necessity:\n      en: {}\n      zh-CN: {}\n    data_required: contractual\n    if_not_provided:\n      en: {}\n      zh-CN: {}\n    categories: {}\n    retention: P3Y\n",
            team.id,
            team.id,
            q(&format!("Run our {en} ({ti})")),
            q(&format!("提供{zh}服务（{ti}）")),
            q(&format!("We use the details you give us and what you do in our services to run our {en}.")),
            q(&format!("我们使用您提供的信息以及您使用服务的记录来提供{zh}服务。")),
            q(&format!("The {en} cannot work without these details.")),
            q(&format!("没有这些信息，{zh}服务无法运行。")),
            q(&format!("Without these details we cannot offer you our {en}.")),
            q(&format!("如您不提供这些信息，我们将无法向您提供{zh}服务。")),
            list(&cats),
        )
        .unwrap();
        // A team's purpose names the datasets it uses, as a Fides declaration names its
        // datasets: inferring them from categories would make every team's purpose use every
        // dataset of the company holding one of its categories (`--infer-datasets`).
        if !infer {
            writeln!(f, "    datasets: {}", list(&datasets)).unwrap();
        }
        // The vendors the team's flows name.
        let vendors: BTreeSet<usize> = (0..team.systems.len())
            .filter(|si| si % 3 == 0)
            .map(|si| (ti + si) % VENDORS.len())
            .collect();
        if !vendors.is_empty() {
            writeln!(f, "recipients:").unwrap();
        }
        for v in vendors {
            let (vw, name, country, gdpr, pipl, ccpa) = VENDORS[v];
            writeln!(
                f,
                "  {}_{vw}:\n    name: {}\n    description:\n      en: {}\n      zh-CN: {}\n    role: {{ gdpr: {gdpr}, pipl: {pipl}, ccpa: {ccpa} }}\n    country: {country}\n    contact:\n      name: {}\n      email: privacy@{vw}.example\n      country: {country}",
                team.id,
                q(name),
                q(&format!("Works for the {en} team ({word}).")),
                q(&format!("为{zh}团队提供服务。")),
                q(&format!("{name}, Privacy")),
            )
            .unwrap();
            writeln!(
                f,
                "    contract:\n      ref: DPA-{ti:04}-{v}\n      signed_on: 2025-0{}-1{}",
                1 + v % 9,
                v % 10
            )
            .unwrap();
            if gdpr == "processor" {
                writeln!(f, "      art28_terms: [instructions, confidentiality, security, sub_processors, data_subject_rights, assistance, deletion_or_return, audits]").unwrap();
            }
            writeln!(f, "    reviewed_on: 2026-0{}-01", 1 + (ti % 9)).unwrap();
        }
        writeln!(
            f,
            "roles:\n  {}_analyst:\n    description: {}\n    db_role: {}_ro\n    purposes: [{}_operations]\n    datasets: {}",
            team.id,
            q(&format!("Analysts of the {en} team.")),
            team.id,
            team.id,
            list(&datasets),
        )
        .unwrap();
        files.push((format!("teams/{}.yaml", team.id), f));
    }
    files
}
