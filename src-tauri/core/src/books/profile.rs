//! The business profile: who sends the invoices.

pub use super::series::format_number;
use super::{now_stamp, series, Ctx};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::money::Currency;
use crate::pdf::envelope::Envelope;
use crate::req::{Dec, Id, Int, LongText, Name, NoArgs, Percent, Text};
use crate::sql::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The profile as stored, for documents and defaults.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub address: String,
    pub country: String,
    pub tax_ids: String,
    pub bank_account: String,
    pub bank_name: String,
    pub bank_bic: String,
    pub bank_kbe: String,
    pub email: String,
    pub phone: String,
    pub currency: String,
    pub default_terms_id: i64,
    pub language: Lang,
    pub thank_you: String,
    pub unbilled_warn_days: i64,
    pub default_tax_rate: String,
    pub prices_include_tax: bool,
    pub has_logo: bool,
    /// The decoded logo, filled in only for documents (`logo()`).
    pub logo: Option<std::sync::Arc<crate::pdf::logo::Logo>>,
    /// The envelope preset with the user's offset.
    pub envelope: Envelope,
    /// The business's БИН (or an entrepreneur's ИИН), checked.
    pub bin: String,
    /// The default payment purpose code (КНП).
    pub knp: String,
    pub vat_payer: bool,
    pub vat_registration: String,
    /// Who signs documents, and their position ("Директор", "ИП").
    pub signer_name: String,
    pub signer_position: String,
    /// The Kazakh invoice layout (for documents in kk and ru).
    pub kz_layout: bool,
    pub has_signature: bool,
    pub has_seal: bool,
    /// The decoded signature and seal images, filled in only for documents.
    pub signature: Option<std::sync::Arc<crate::pdf::logo::Logo>>,
    pub seal: Option<std::sync::Arc<crate::pdf::logo::Logo>>,
}

/// The envelope in the profile's answer: the preset and the offset in mm (`"1.5"`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvelopeView {
    pub preset: &'static str,
    pub offset_x: String,
    pub offset_y: String,
}

/// The profile as `get_profile` answers it (and as an issued invoice keeps its seller).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    pub name: String,
    pub address: String,
    pub country: String,
    pub tax_ids: String,
    pub bank_account: String,
    pub bank_name: String,
    pub bank_bic: String,
    pub bank_kbe: String,
    pub email: String,
    pub phone: String,
    pub currency: String,
    pub default_terms_id: i64,
    pub language: &'static str,
    pub thank_you: String,
    pub unbilled_warn_days: i64,
    pub default_tax_rate: String,
    pub prices_include_tax: bool,
    pub has_logo: bool,
    pub envelope: EnvelopeView,
    pub bin: String,
    pub knp: String,
    pub vat_payer: bool,
    pub vat_registration: String,
    pub signer_name: String,
    pub signer_position: String,
    /// `kz` or `standard`.
    pub invoice_layout: &'static str,
    pub has_signature: bool,
    pub has_seal: bool,
}

impl Profile {
    pub fn view(&self) -> ProfileView {
        ProfileView {
            name: self.name.clone(),
            address: self.address.clone(),
            country: self.country.clone(),
            tax_ids: self.tax_ids.clone(),
            bank_account: self.bank_account.clone(),
            bank_name: self.bank_name.clone(),
            bank_bic: self.bank_bic.clone(),
            bank_kbe: self.bank_kbe.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            currency: self.currency.clone(),
            default_terms_id: self.default_terms_id,
            language: self.language.code(),
            thank_you: self.thank_you.clone(),
            unbilled_warn_days: self.unbilled_warn_days,
            default_tax_rate: self.default_tax_rate.clone(),
            prices_include_tax: self.prices_include_tax,
            has_logo: self.has_logo,
            envelope: EnvelopeView {
                preset: self.envelope.code(),
                offset_x: tenths_text(self.envelope.dx),
                offset_y: tenths_text(self.envelope.dy),
            },
            bin: self.bin.clone(),
            knp: self.knp.clone(),
            vat_payer: self.vat_payer,
            vat_registration: self.vat_registration.clone(),
            signer_name: self.signer_name.clone(),
            signer_position: self.signer_position.clone(),
            invoice_layout: if self.kz_layout { "kz" } else { "standard" },
            has_signature: self.has_signature,
            has_seal: self.has_seal,
        }
    }

    /// The profile as JSON (the seller an issued invoice keeps).
    pub fn to_json(&self) -> Result<Value> {
        super::to_value(&self.view())
    }
}

/// The payment terms an invoice gets when neither its customer nor the profile names any, and
/// a new profile's default (id 7 of the presets).
pub const DEFAULT_TERMS_ID: i64 = 7;
/// After how many days an unbilled service is flagged, before the owner says otherwise.
pub const DEFAULT_WARN_DAYS: i64 = 7;
/// The home currency before there is a profile.
pub const DEFAULT_CURRENCY: &str = "KZT";

/// The home currency: the profile's, or tenge before there is a profile.
pub fn home_currency(conn: &crate::sql::Connection) -> Result<crate::money::Currency> {
    match load(conn)? {
        Some(p) => crate::money::Currency::stored(&p.currency),
        None => crate::money::Currency::stored(DEFAULT_CURRENCY),
    }
}

/// The terms a customer without their own gets: the profile's default.
pub fn default_terms_id(conn: &crate::sql::Connection) -> Result<i64> {
    Ok(load(conn)?.map_or(DEFAULT_TERMS_ID, |p| p.default_terms_id))
}

/// The profile's default VAT rate (0 before there is a profile). A stored rate that does not
/// parse is an error, never a silent 0.
pub fn default_tax_rate(conn: &crate::sql::Connection) -> Result<rust_decimal::Decimal> {
    match load(conn)? {
        None => Ok(rust_decimal::Decimal::ZERO),
        Some(p) => p.default_tax_rate.parse().map_err(|_| {
            Error::Internal(format!(
                "stored default tax rate {:?} is not a decimal",
                p.default_tax_rate
            ))
        }),
    }
}

/// The profile's columns: whether there is a logo, signature or seal, not their bytes (a
/// 512 KB image was copied out on every load only to see that there is one).
const PROFILE_COLUMNS: &str = "name, address, country, tax_ids, bank_account, bank_name, bank_bic, bank_kbe, email, phone, currency,
    default_terms_id, language, thank_you, unbilled_warn_days, default_tax_rate, prices_include_tax, envelope, envelope_dx_tenths,
    envelope_dy_tenths, bin, knp, vat_payer, vat_registration, signer_name, signer_position, invoice_layout,
    logo IS NOT NULL AS has_logo, signature IS NOT NULL AS has_signature, seal IS NOT NULL AS has_seal";

/// The profile, or `None` before first-run setup.
pub fn load(conn: &Connection) -> Result<Option<Profile>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {PROFILE_COLUMNS} FROM business_profile WHERE id = 1"
        ))?
        .query_row([], |r| {
            Ok(Profile {
                name: r.get("name")?,
                address: r.get("address")?,
                country: r.get("country")?,
                tax_ids: r.get("tax_ids")?,
                bank_account: r.get("bank_account")?,
                bank_name: r.get("bank_name")?,
                bank_bic: r.get("bank_bic")?,
                bank_kbe: r.get("bank_kbe")?,
                email: r.get("email")?,
                phone: r.get("phone")?,
                currency: r.get("currency")?,
                default_terms_id: r.get("default_terms_id")?,
                language: Lang::parse(&r.get::<_, String>("language")?).unwrap_or(Lang::En),
                thank_you: r.get("thank_you")?,
                unbilled_warn_days: r.get("unbilled_warn_days")?,
                default_tax_rate: r.get("default_tax_rate")?,
                prices_include_tax: r.get::<_, i64>("prices_include_tax")? != 0,
                has_logo: r.get("has_logo")?,
                logo: None,
                envelope: Envelope::parse(&r.get::<_, String>("envelope")?)
                    .unwrap_or(Envelope::DIN_B)
                    .with_offset(
                        r.get::<_, i64>("envelope_dx_tenths")? as f32 / 10.0,
                        r.get::<_, i64>("envelope_dy_tenths")? as f32 / 10.0,
                    ),
                bin: r.get("bin")?,
                knp: r.get("knp")?,
                vat_payer: r.get::<_, i64>("vat_payer")? != 0,
                vat_registration: r.get("vat_registration")?,
                signer_name: r.get("signer_name")?,
                signer_position: r.get("signer_position")?,
                kz_layout: r.get::<_, String>("invoice_layout")? == "kz",
                has_signature: r.get("has_signature")?,
                has_seal: r.get("has_seal")?,
                signature: None,
                seal: None,
            })
        })
        .optional()?)
}

/// The profile, or a `conflict` asking for first-run setup.
pub fn require(conn: &Connection) -> Result<Profile> {
    load(conn)?.ok_or(Error::Conflict {
        key: "error.profileMissing",
        field: None,
    })
}

/// `get_profile`: the profile, or `null` before setup.
pub fn get(ctx: &mut Ctx, _req: NoArgs) -> Result<Option<ProfileView>> {
    Ok(load(ctx.conn)?.map(|p| p.view()))
}

/// The invoice layout a profile asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceLayout {
    Standard,
    Kz,
}

/// `save_profile`: the whole profile (what is left out is cleared or takes its default).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SaveProfile {
    pub name: Name,
    /// ISO 4217 code of the home currency.
    pub currency: Text<3>,
    pub language: Lang,
    /// The terms new invoices get (7 when left out).
    pub default_terms_id: Option<Id>,
    pub address: Option<LongText>,
    pub country: Option<Name>,
    /// Free text: tax numbers printed under the name.
    pub tax_ids: Option<LongText>,
    /// IBAN (checked when it looks like one) or a local account number.
    pub bank_account: Option<Name>,
    pub bank_name: Option<Name>,
    pub bank_bic: Option<Name>,
    /// Beneficiary code (Кбе).
    pub bank_kbe: Option<Text<10>>,
    pub email: Option<Name>,
    pub phone: Option<Name>,
    pub thank_you: Option<LongText>,
    /// After how many days an unbilled service is flagged (7 when left out).
    pub unbilled_warn_days: Option<Int<0, 365>>,
    /// 0 when left out.
    pub default_tax_rate: Option<Percent>,
    #[serde(default)]
    pub prices_include_tax: bool,
    /// БИН/ИИН, checked.
    pub bin: Option<Text<20>>,
    /// Default payment purpose code (КНП), checked.
    pub knp: Option<Text<10>>,
    #[serde(default)]
    pub vat_payer: bool,
    pub vat_registration: Option<Name>,
    pub signer_name: Option<Name>,
    pub signer_position: Option<Name>,
    /// `kz` by default for a shop in Kazakhstan.
    pub invoice_layout: Option<InvoiceLayout>,
}

/// An optional text, `""` when left out.
fn text<const MAX: usize>(t: Option<Text<MAX>>) -> String {
    t.map(Text::into_string).unwrap_or_default()
}

/// An optional identifier, `""` when left out; refused with `key` on `field` unless `ok`.
fn checked<const MAX: usize>(
    t: Option<Text<MAX>>,
    field: &str,
    ok: fn(&str) -> bool,
    key: &'static str,
) -> Result<String> {
    let v = text(t);
    if !v.is_empty() && !ok(&v) {
        return Err(Error::invalid(field, key));
    }
    Ok(v)
}

/// `save_profile {name, currency, language, defaultTermsId, ...}`: creates or replaces the profile.
pub fn save(ctx: &mut Ctx, req: SaveProfile) -> Result<Option<ProfileView>> {
    let currency = Currency::parse(req.currency.as_str(), "currency")?;
    let terms_id = req.default_terms_id.map_or(DEFAULT_TERMS_ID, |t| t.0);
    super::terms::load(ctx.conn, terms_id, "defaultTermsId")?;
    let warn = req.unbilled_warn_days.map_or(DEFAULT_WARN_DAYS, |w| w.0);
    let tax = req.default_tax_rate.map(|t| t.0).unwrap_or_default();
    // What every invoice prints must be right: checked, the field named, nothing written.
    let bank_account = checked(
        req.bank_account,
        "bankAccount",
        |a| !crate::ids::looks_like_iban(a) || crate::ids::iban_ok(a),
        "error.badIban",
    )?;
    let bank_bic = checked(req.bank_bic, "bankBic", crate::ids::bic_ok, "error.badBic")?;
    let bank_kbe = checked(req.bank_kbe, "bankKbe", crate::ids::kbe_ok, "error.badKbe")?;
    let email = checked(req.email, "email", crate::ids::email_ok, "error.badEmail")?;
    let bin = checked(req.bin, "bin", crate::ids::bin_ok, "error.badBin")?;
    let knp = checked(req.knp, "knp", crate::ids::knp_ok, "error.badKnp")?;
    let country = text(req.country);
    // The Kazakh layout by default for a shop in Kazakhstan.
    let kz_layout = match req.invoice_layout {
        Some(l) => l == InvoiceLayout::Kz,
        None => crate::ids::is_kazakhstan(&country),
    };
    let p = Profile {
        name: req.name.into_string(),
        address: text(req.address),
        country,
        tax_ids: text(req.tax_ids),
        bank_account,
        bank_name: text(req.bank_name),
        bank_bic,
        bank_kbe,
        email,
        phone: text(req.phone),
        currency: currency.code.to_string(),
        default_terms_id: terms_id,
        language: req.language,
        thank_you: text(req.thank_you),
        unbilled_warn_days: warn,
        default_tax_rate: tax.to_string(),
        prices_include_tax: req.prices_include_tax,
        has_logo: false,
        logo: None,
        envelope: Envelope::DIN_B,
        bin,
        knp,
        vat_payer: req.vat_payer,
        vat_registration: text(req.vat_registration),
        signer_name: text(req.signer_name),
        signer_position: text(req.signer_position),
        kz_layout,
        has_signature: false,
        has_seal: false,
        signature: None,
        seal: None,
    };
    let tx = ctx.conn.transaction()?;
    tx.execute(
        "INSERT INTO business_profile (id, name, address, country, tax_ids, bank_account, bank_name, bank_bic, bank_kbe, email, phone,
            currency, default_terms_id, language, thank_you, unbilled_warn_days, default_tax_rate, prices_include_tax, updated_at,
            bin, knp, vat_payer, vat_registration, signer_name, signer_position, invoice_layout)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)
         ON CONFLICT (id) DO UPDATE SET name=excluded.name, address=excluded.address, country=excluded.country, tax_ids=excluded.tax_ids,
            bank_account=excluded.bank_account, bank_name=excluded.bank_name, bank_bic=excluded.bank_bic, bank_kbe=excluded.bank_kbe,
            email=excluded.email, phone=excluded.phone, currency=excluded.currency, default_terms_id=excluded.default_terms_id,
            language=excluded.language, thank_you=excluded.thank_you, unbilled_warn_days=excluded.unbilled_warn_days,
            default_tax_rate=excluded.default_tax_rate, prices_include_tax=excluded.prices_include_tax, updated_at=excluded.updated_at,
            bin=excluded.bin, knp=excluded.knp, vat_payer=excluded.vat_payer, vat_registration=excluded.vat_registration,
            signer_name=excluded.signer_name, signer_position=excluded.signer_position, invoice_layout=excluded.invoice_layout",
        params![
            p.name,
            p.address,
            p.country,
            p.tax_ids,
            p.bank_account,
            p.bank_name,
            p.bank_bic,
            p.bank_kbe,
            p.email,
            p.phone,
            p.currency,
            p.default_terms_id,
            p.language.code(),
            p.thank_you,
            p.unbilled_warn_days,
            p.default_tax_rate,
            p.prices_include_tax as i64,
            now_stamp(),
            p.bin,
            p.knp,
            p.vat_payer as i64,
            p.vat_registration,
            p.signer_name,
            p.signer_position,
            if p.kz_layout { "kz" } else { "standard" }
        ],
    )?;
    tx.commit()?;
    Ok(load(ctx.conn)?.map(|p| p.view()))
}

/// An offset in mm for JSON: `1.5`, `-0.5`, `0`.
fn tenths_text(mm: f32) -> String {
    let tenths = (mm * 10.0).round() as i64;
    (Decimal::from(tenths) / Decimal::from(10))
        .normalize()
        .to_string()
}

/// A window envelope preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Preset {
    #[serde(rename = "din5008a")]
    Din5008a,
    #[serde(rename = "din5008b")]
    Din5008b,
    #[serde(rename = "us10")]
    Us10,
}

impl Preset {
    pub fn code(self) -> &'static str {
        match self {
            Preset::Din5008a => "din5008a",
            Preset::Din5008b => "din5008b",
            Preset::Us10 => "us10",
        }
    }
}

/// Any decimal (its range and decimals are the command's rule, with the command's keys).
pub type AnyDecimal = Dec<{ i64::MIN }, { i64::MAX }, 28>;

/// `save_envelope`: the window envelope and the printer's offset.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SaveEnvelope {
    pub preset: Preset,
    /// mm to the right, at most 15 either way, 0.1 mm steps (0 when left out).
    pub offset_x: Option<AnyDecimal>,
    /// mm down, at most 15 either way, 0.1 mm steps (0 when left out).
    pub offset_y: Option<AnyDecimal>,
}

/// `save_envelope {preset: din5008a|din5008b|us10, offsetX?, offsetY?}`: the user's window
/// envelope and how far (mm, right and down, 0.1 mm steps, at most 15) the address block
/// must move to sit in its window on their printer — found with the calibration page.
pub fn save_envelope(ctx: &mut Ctx, req: SaveEnvelope) -> Result<Option<ProfileView>> {
    require(ctx.conn)?;
    let limit = Decimal::from(crate::pdf::envelope::MAX_OFFSET_MM as i64);
    let tenths = |name: &str, v: Option<AnyDecimal>| -> Result<i64> {
        let v = v.map(|d| d.0).unwrap_or_default().normalize();
        if v.abs() > limit {
            return Err(Error::invalid(name, "error.outOfRange"));
        }
        if v.scale() > 1 {
            return Err(Error::invalid(name, crate::money::too_many_decimals(1)));
        }
        use rust_decimal::prelude::ToPrimitive;
        (v * Decimal::from(10))
            .to_i64()
            .ok_or_else(|| Error::invalid(name, "error.outOfRange"))
    };
    let (dx, dy) = (
        tenths("offsetX", req.offset_x)?,
        tenths("offsetY", req.offset_y)?,
    );
    ctx.conn.execute(
        "UPDATE business_profile SET envelope = ?1, envelope_dx_tenths = ?2, envelope_dy_tenths = ?3, updated_at = ?4 WHERE id = 1",
        params![req.preset.code(), dx, dy, now_stamp()],
    )?;
    get(ctx, NoArgs {})
}

/// The logos Esep accepts, by their first bytes.
pub(crate) fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// Encodes standard base64 with padding (files handed to `import_csv` / `set_logo` by tests,
/// benches and scripts; the inverse of [`base64_decode`]).
pub fn base64_encode(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                A[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

/// Decodes standard base64 (with or without padding, whitespace ignored).
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The stored logo, decoded (once per distinct file per process: a batch of invoices decodes
/// The images a profile keeps for documents: the logo (top left), and the signature and seal
/// printed at the signer's line of the Kazakh invoice and the act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Image {
    Logo,
    Signature,
    Seal,
}

impl Image {
    pub const CODES: &'static [&'static str] = &["logo", "signature", "seal"];

    /// The profile's column holding the image (its MIME type only for the logo).
    fn column(self) -> &'static str {
        match self {
            Image::Logo => "logo",
            Image::Signature => "signature",
            Image::Seal => "seal",
        }
    }
}

/// The decoded logo for documents, or `None` (see [`image`]).
pub fn logo(conn: &Connection) -> Result<Option<std::sync::Arc<crate::pdf::logo::Logo>>> {
    image(conn, Image::Logo)
}

/// A decoded profile image for documents, or `None`. Decoding is cached per image while its
/// bytes stay the same (a batch of 500 invoices decodes it once).
pub fn image(
    conn: &Connection,
    which: Image,
) -> Result<Option<std::sync::Arc<crate::pdf::logo::Logo>>> {
    use std::sync::{Arc, Mutex};
    type Cache = Mutex<[Option<(Vec<u8>, Option<Arc<crate::pdf::logo::Logo>>)>; 3]>;
    static CACHE: Cache = Mutex::new([None, None, None]);
    let sql = format!(
        "SELECT {} FROM business_profile WHERE id = 1",
        which.column()
    );
    let bytes: Option<Vec<u8>> = conn.query_row(&sql, [], |r| r.get(0)).optional()?.flatten();
    let Some(bytes) = bytes else { return Ok(None) };
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    let slot = &mut cache[which as usize];
    if let Some((b, img)) = slot.as_ref() {
        if *b == bytes {
            return Ok(img.clone());
        }
    }
    let img = crate::pdf::logo::Logo::decode(&bytes).map(Arc::new);
    *slot = Some((bytes, img.clone()));
    Ok(img)
}

/// The largest image accepted (it is printed small; a photo-sized file is a mistake).
pub const MAX_LOGO: usize = 512 * 1024;

/// `set_logo`: an image for documents, or none.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SetLogo {
    /// PNG or JPEG, base64, at most 512 KB; left out, the image is removed.
    pub data_base64: Option<Text<{ MAX_LOGO * 2 }>>,
    /// `logo` when left out.
    pub kind: Option<Image>,
}

/// What `set_logo` stored: the column, the image type and size, and whether there is one now
/// (under the name the profile uses: `hasLogo`, `hasSignature`, `hasSeal`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageView {
    pub kind: &'static str,
    pub mime: Option<&'static str>,
    pub bytes: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_logo: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_signature: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_seal: Option<bool>,
}

/// `set_logo {dataBase64?, kind?: logo|signature|seal}`: stores the business logo (or the
/// signer's signature, or the seal; PNG with transparency or JPEG, ≤ 512 KB) in the database;
/// without data it removes it.
pub fn set_logo(ctx: &mut Ctx, req: SetLogo) -> Result<ImageView> {
    require(ctx.conn)?;
    let which = req.kind.unwrap_or(Image::Logo);
    let data = match req.data_base64 {
        None => None,
        Some(b64) => {
            let bytes = base64_decode(&b64)
                .ok_or_else(|| Error::invalid("dataBase64", "error.badImage"))?;
            if bytes.len() > MAX_LOGO {
                return Err(Error::invalid("dataBase64", "error.tooLarge"));
            }
            let mime = sniff_image(&bytes)
                .ok_or_else(|| Error::invalid("dataBase64", "error.badImage"))?;
            // Decoded now, as every document will: a damaged file is refused here instead of
            // being stored (it would then be left out of, or break, every PDF).
            if crate::pdf::logo::Logo::decode(&bytes).is_none() {
                return Err(Error::invalid("dataBase64", "error.badImage"));
            }
            Some((bytes, mime))
        }
    };
    let column = which.column();
    match which {
        Image::Logo => ctx.conn.execute(
            "UPDATE business_profile SET logo = ?1, logo_mime = ?2 WHERE id = 1",
            params![
                data.as_ref().map(|d| d.0.as_slice()),
                data.as_ref().map(|d| d.1)
            ],
        )?,
        _ => ctx.conn.execute(
            &format!("UPDATE business_profile SET {column} = ?1 WHERE id = 1"),
            params![data.as_ref().map(|d| d.0.as_slice())],
        )?,
    };
    let bytes: i64 = ctx.conn.query_row(
        &format!("SELECT COALESCE(length({column}), 0) FROM business_profile WHERE id = 1"),
        [],
        |r| r.get(0),
    )?;
    // The logo's answer keeps its name (the UI reads hasLogo).
    let stored = Some(data.is_some());
    let (has_logo, has_signature, has_seal) = match which {
        Image::Logo => (stored, None, None),
        Image::Signature => (None, stored, None),
        Image::Seal => (None, None, stored),
    };
    Ok(ImageView {
        kind: column,
        mime: data.as_ref().map(|d| d.1),
        bytes,
        has_logo,
        has_signature,
        has_seal,
    })
}

/// One number series as `get_series` shows it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeriesView {
    pub id: &'static str,
    pub format: String,
    pub next_number: i64,
    /// Documents numbered so far.
    pub issued: i64,
    pub yearly: bool,
    /// The number a document dated today would get.
    pub example: String,
}

/// `get_series`: the number series with their formats, next numbers, how many documents each
/// has numbered and whether it restarts every year.
pub fn get_series(ctx: &mut Ctx, _req: NoArgs) -> Result<Vec<SeriesView>> {
    let mut out = Vec::new();
    for s in series::ALL {
        let state = s.state(ctx.conn)?;
        let used = s.used(ctx.conn)?;
        // What today's document would get, by the rule issuing follows.
        let year = ctx_year(ctx.today);
        let example = format_number(&state.format, year, state.next_in(year).1);
        out.push(SeriesView {
            id: s.id,
            format: state.format,
            next_number: state.next,
            issued: used,
            yearly: state.yearly,
            example,
        });
    }
    Ok(out)
}

fn ctx_year(d: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    d.year()
}

/// A number series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SeriesId {
    Invoice,
    CreditNote,
    Act,
    Quote,
    Prepayment,
}

impl SeriesId {
    pub fn code(self) -> &'static str {
        match self {
            SeriesId::Invoice => "invoice",
            SeriesId::CreditNote => "credit_note",
            SeriesId::Act => "act",
            SeriesId::Quote => "quote",
            SeriesId::Prepayment => "prepayment",
        }
    }
}

/// `set_series`: a series' number format, starting number and yearly restart.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SetSeries {
    pub id: SeriesId,
    /// Exactly one `{N}` or `{N:width}`; `{YYYY}`, `{YY}` for the year.
    pub format: Text<40>,
    /// Only while the series has numbered nothing.
    pub next_number: Option<Int<1, 999_999_999>>,
    /// Restart at 1 every year (unchanged when left out).
    pub yearly: Option<bool>,
}

/// `set_series {id, format, nextNumber?, yearly?}`: the number format; the starting number only
/// while nothing has been numbered in the series (a later change would leave a gap or a
/// duplicate); the yearly restart can be turned on at any time (it takes effect with the next
/// year) and off only while the series is unused. A yearly series needs the year in its format.
pub fn set_series(ctx: &mut Ctx, req: SetSeries) -> Result<Vec<SeriesView>> {
    let id = req.id.code();
    let s = series::Series::get(id).ok_or_else(|| Error::invalid("id", "error.badChoice"))?;
    let format = req.format.into_string();
    validate_format(&format)?;
    let next = req.next_number.map(|n| n.0);
    let yearly = req.yearly;
    let tx = ctx
        .conn
        .transaction_with_behavior(crate::sql::TransactionBehavior::Immediate)?;
    let used = s.used(&tx)?;
    let current = s.state(&tx)?;
    let was_yearly = current.yearly;
    if let Some(n) = next {
        if used > 0 && n != current.next {
            return Err(Error::Conflict {
                key: "error.seriesInUse",
                field: Some("nextNumber".into()),
            });
        }
        tx.execute(
            "UPDATE number_series SET next_number = ?2 WHERE id = ?1",
            params![id, n],
        )?;
    }
    let yearly = yearly.unwrap_or(was_yearly);
    if was_yearly && !yearly && used > 0 {
        return Err(Error::Conflict {
            key: "error.seriesYearlyInUse",
            field: Some("yearly".into()),
        });
    }
    if yearly && !format.contains("{YYYY}") && !format.contains("{YY}") {
        return Err(Error::invalid("format", "error.yearlyNeedsYear"));
    }
    tx.execute(
        "UPDATE number_series SET format = ?2, yearly = ?3 WHERE id = ?1",
        params![id, format, yearly],
    )?;
    if yearly && !was_yearly && used > 0 {
        // Counting on until now: the restart comes with the first year after the last number.
        tx.execute(
            &format!("UPDATE number_series SET counter_year = (SELECT CAST(substr(issue_date, 1, 4) AS INTEGER) FROM {} WHERE series = ?1 AND seq IS NOT NULL ORDER BY series_year DESC, seq DESC LIMIT 1) WHERE id = ?1", s.table()),
            [id],
        )?;
    }
    tx.commit()?;
    get_series(ctx, NoArgs {})
}

/// Checks a number format: needs exactly one `{N}` or `{N:w}` (w = 1..=9), only known tokens.
pub fn validate_format(format: &str) -> Result<()> {
    let mut rest = format;
    let mut n_count = 0;
    while let Some(start) = rest.find('{') {
        let end = rest[start..]
            .find('}')
            .ok_or_else(|| Error::invalid("format", "error.badNumberFormat"))?
            + start;
        let token = &rest[start + 1..end];
        match token {
            "YYYY" | "YY" => {}
            "N" => n_count += 1,
            t if t.starts_with("N:")
                && t[2..]
                    .parse::<u32>()
                    .map(|w| (1..=9).contains(&w))
                    .unwrap_or(false) =>
            {
                n_count += 1
            }
            _ => return Err(Error::invalid("format", "error.badNumberFormat")),
        }
        rest = &rest[end + 1..];
    }
    if n_count != 1
        || format.contains('}') && format.matches('{').count() != format.matches('}').count()
    {
        return Err(Error::invalid("format", "error.badNumberFormat"));
    }
    if format.chars().any(|c| c.is_control() || c == '\\') {
        return Err(Error::invalid("format", "error.badNumberFormat"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base64_decodes_exactly_and_refuses_garbage() {
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode("aGVsbG8").unwrap(), b"hello");
        assert_eq!(
            base64_decode("iVBO\nRw0KGgo=").unwrap(),
            b"\x89PNG\r\n\x1a\n"
        );
        assert!(base64_decode("a$b").is_none());
        for sample in [&b""[..], b"h", b"he", b"hel", b"\x89PNG\r\n\x1a\n\xff\x00"] {
            assert_eq!(
                base64_decode(&base64_encode(sample)).unwrap(),
                sample,
                "round trip"
            );
        }
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
    }

    #[test]
    fn the_logo_is_stored_in_the_database_and_must_be_an_image() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let mut ctx = Ctx::new(
            &mut conn,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        );
        fn req<R: serde::de::DeserializeOwned>(v: Value) -> R {
            crate::req::parse(&v).unwrap()
        }
        save(
            &mut ctx,
            req(json!({"name": "Shop", "currency": "KZT", "language": "kk"})),
        )
        .unwrap();
        let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
        let v = set_logo(&mut ctx, req(json!({"dataBase64": png}))).unwrap();
        assert_eq!((v.has_logo, v.mime), (Some(true), Some("image/png")));
        assert!(v.bytes > 60);
        assert!(
            load(ctx.conn).unwrap().unwrap().has_logo,
            "the profile sees the logo without reading it"
        );
        let err = set_logo(&mut ctx, req(json!({"dataBase64": "aGVsbG8="}))).unwrap_err();
        assert_eq!(
            (err.field(), err.message_key()),
            (Some("dataBase64"), "error.badImage")
        );
        let v = set_logo(&mut ctx, req(json!({}))).unwrap();
        assert_eq!(v.has_logo, Some(false));
        assert!(!load(ctx.conn).unwrap().unwrap().has_logo);
    }

    #[test]
    fn envelope_offsets_keep_their_refusals() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let mut ctx = Ctx::new(
            &mut conn,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        );
        let mut call = |name: &str, v: Value| crate::api::call(&mut ctx, name, &v);
        call(
            "save_profile",
            json!({"name": "Shop", "currency": "KZT", "language": "kk"}),
        )
        .unwrap();
        for (offset, key) in [
            ("20", "error.outOfRange"),
            ("-20", "error.outOfRange"),
            ("1.25", "error.tooManyDecimals.1"),
            ("x", "error.notANumber"),
        ] {
            let e = call(
                "save_envelope",
                json!({"preset": "us10", "offsetY": offset}),
            )
            .unwrap_err();
            assert_eq!(
                (e.field(), e.message_key()),
                (Some("offsetY"), key),
                "{offset}"
            );
        }
        let e = call("save_envelope", json!({"preset": "c5"})).unwrap_err();
        assert_eq!(
            (e.field(), e.message_key()),
            (Some("preset"), "error.badChoice")
        );
        let v = call(
            "save_envelope",
            json!({"preset": "us10", "offsetX": "-1.5", "offsetY": 2}),
        )
        .unwrap();
        assert_eq!(
            v["envelope"],
            json!({"preset": "us10", "offsetX": "-1.5", "offsetY": "2"})
        );
        let e = call("set_series", json!({"id": "receipt", "format": "{N}"})).unwrap_err();
        assert_eq!(
            (e.field(), e.message_key()),
            (Some("id"), "error.badChoice")
        );
        let v = call(
            "set_series",
            json!({"id": "credit_note", "format": "CN-{YY}-{N:3}", "nextNumber": "5"}),
        )
        .unwrap();
        assert_eq!(
            (
                &v[1]["id"],
                &v[1]["nextNumber"],
                &v[1]["issued"],
                &v[1]["example"]
            ),
            (
                &json!("credit_note"),
                &json!(5),
                &json!(0),
                &json!("CN-26-005")
            )
        );
    }

    #[test]
    fn numbers_follow_the_users_format() {
        assert_eq!(format_number("INV-{YYYY}-{N:4}", 2026, 42), "INV-2026-0042");
        assert_eq!(format_number("{YY}/{N}", 2027, 7), "27/7");
        assert_eq!(
            format_number("Шот-{N:3}", 2026, 1234),
            "Шот-1234",
            "padding never truncates"
        );
    }

    #[test]
    fn formats_need_exactly_one_counter() {
        assert!(validate_format("INV-{YYYY}-{N:4}").is_ok());
        assert!(validate_format("INV-{YYYY}").is_err());
        assert!(validate_format("{N}{N}").is_err());
        assert!(validate_format("{N:0}").is_err());
        assert!(validate_format("{X}{N}").is_err());
        assert!(
            validate_format("a\\{N}").is_err(),
            "backslashes are refused"
        );
        assert!(
            validate_format("{YY}/{N:5}").is_ok(),
            "slashes are common in invoice numbers (file names replace them)"
        );
    }
}
