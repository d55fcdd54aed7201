//! Reads a prompt into a [`Plan`]: the scene, the subjects with their colours,
//! the colours bound to parts of the scene, the style and the time of day.
//! The renderer paints from this plan and `explain` prints it, so what people
//! are told is exactly what is drawn.

use std::collections::BTreeMap;

/// The overall kind of picture, which chooses the background.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SceneKind {
    /// Layered sky, terrain and motifs.
    Landscape,
    /// A dark synthwave scene: glowing grid, striped sun, neon signs.
    Neon,
    /// Flow fields and soft gradients, for prompts asking for it or naming nothing known.
    Abstract,
    /// A room: back wall, floor, warm light.
    Interior,
    /// Stars and nebulae.
    Space,
    /// A studio backdrop behind one large, centred subject.
    Portrait,
}

impl SceneKind {
    pub fn name(self) -> &'static str {
        match self {
            SceneKind::Landscape => "landscape",
            SceneKind::Neon => "neon",
            SceneKind::Abstract => "abstract",
            SceneKind::Interior => "interior",
            SceneKind::Space => "space",
            SceneKind::Portrait => "portrait",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeOfDay {
    Dawn,
    Day,
    Sunset,
    Night,
}

impl TimeOfDay {
    pub fn name(self) -> &'static str {
        match self {
            TimeOfDay::Dawn => "dawn",
            TimeOfDay::Day => "day",
            TimeOfDay::Sunset => "sunset",
            TimeOfDay::Night => "night",
        }
    }
}

/// How the picture is rendered once painted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    None,
    Oil,
    Watercolor,
    Sketch,
    Pixel,
    LowPoly,
    Anime,
    Photo,
    Vintage,
    Neon,
}

impl Style {
    pub fn name(self) -> &'static str {
        match self {
            Style::None => "none",
            Style::Oil => "oil",
            Style::Watercolor => "watercolor",
            Style::Sketch => "sketch",
            Style::Pixel => "pixel",
            Style::LowPoly => "lowpoly",
            Style::Anime => "anime",
            Style::Photo => "photo",
            Style::Vintage => "vintage",
            Style::Neon => "neon",
        }
    }
}

/// Everything the engine can draw as a subject, grouped by family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Figure,
    Portrait,
    Crowd,
    Cat,
    Dog,
    Bird,
    Fox,
    Horse,
    Fish,
    Whale,
    Butterfly,
    Dragon,
    Car,
    Boat,
    Train,
    Plane,
    Rocket,
    Bicycle,
    House,
    Cabin,
    Castle,
    Lighthouse,
    Tower,
    Temple,
    Bridge,
    Windmill,
    Pine,
    Palm,
    Oak,
    Flowers,
    Cactus,
    Cup,
    FruitBowl,
    Book,
    Lamp,
    Bottle,
    Cake,
    Planet,
    Moon,
    Galaxy,
    Astronaut,
    Window,
    Fireplace,
    Table,
    Shelf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    People,
    Animals,
    Vehicles,
    Buildings,
    Plants,
    Objects,
    Space,
    Interiors,
}

impl Kind {
    pub fn name(self) -> &'static str {
        use Kind::*;
        match self {
            Figure => "figure",
            Portrait => "portrait",
            Crowd => "crowd",
            Cat => "cat",
            Dog => "dog",
            Bird => "bird",
            Fox => "fox",
            Horse => "horse",
            Fish => "fish",
            Whale => "whale",
            Butterfly => "butterfly",
            Dragon => "dragon",
            Car => "car",
            Boat => "boat",
            Train => "train",
            Plane => "plane",
            Rocket => "rocket",
            Bicycle => "bicycle",
            House => "house",
            Cabin => "cabin",
            Castle => "castle",
            Lighthouse => "lighthouse",
            Tower => "tower",
            Temple => "temple",
            Bridge => "bridge",
            Windmill => "windmill",
            Pine => "pine",
            Palm => "palm",
            Oak => "oak",
            Flowers => "flowers",
            Cactus => "cactus",
            Cup => "cup",
            FruitBowl => "fruit_bowl",
            Book => "book",
            Lamp => "lamp",
            Bottle => "bottle",
            Cake => "cake",
            Planet => "planet",
            Moon => "moon",
            Galaxy => "galaxy",
            Astronaut => "astronaut",
            Window => "window",
            Fireplace => "fireplace",
            Table => "table",
            Shelf => "shelf",
        }
    }

    pub fn family(self) -> Family {
        use Kind::*;
        match self {
            Figure | Portrait | Crowd => Family::People,
            Cat | Dog | Bird | Fox | Horse | Fish | Whale | Butterfly | Dragon => Family::Animals,
            Car | Boat | Train | Plane | Rocket | Bicycle => Family::Vehicles,
            House | Cabin | Castle | Lighthouse | Tower | Temple | Bridge | Windmill => {
                Family::Buildings
            }
            Pine | Palm | Oak | Flowers | Cactus => Family::Plants,
            Cup | FruitBowl | Book | Lamp | Bottle | Cake => Family::Objects,
            Planet | Moon | Galaxy | Astronaut => Family::Space,
            Window | Fireplace | Table | Shelf => Family::Interiors,
        }
    }
}

/// One thing to draw in the foreground, with the colour the prompt gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    pub kind: Kind,
    /// A colour name from the colour table, if a colour word qualified it.
    pub color: Option<&'static str>,
}

/// Scenery the prompt asked for, painted behind the subjects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Motifs {
    pub water: bool,
    pub mountains: bool,
    pub forest: bool,
    pub city: bool,
    pub desert: bool,
    pub snow: bool,
    pub neon: bool,
    pub mist: bool,
    pub moon: bool,
}

impl Motifs {
    pub fn any_scenery(&self) -> bool {
        self.water || self.mountains || self.forest || self.city || self.desert || self.snow
    }
}

/// Words that move the whole palette rather than naming a colour of something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mood {
    Pastel,
    Monochrome,
    Golden,
    Dark,
    Vivid,
    Muted,
}

impl Mood {
    pub fn name(self) -> &'static str {
        match self {
            Mood::Pastel => "pastel",
            Mood::Monochrome => "monochrome",
            Mood::Golden => "golden",
            Mood::Dark => "dark",
            Mood::Vivid => "vivid",
            Mood::Muted => "muted",
        }
    }
}

/// What the engine understood of a prompt; the renderer's only input besides
/// seed, size and steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub scene: SceneKind,
    /// In the order the prompt names them; the first is the main subject.
    pub subjects: Vec<Subject>,
    /// Colours bound to parts of the scene ("sky", "ground", "water", ...).
    pub colors: BTreeMap<&'static str, &'static str>,
    /// Colour words that qualify nothing known; they tint the whole picture.
    pub tints: Vec<&'static str>,
    pub mood: Option<Mood>,
    pub style: Style,
    pub time: TimeOfDay,
    /// Whether the prompt named the time, rather than the scene's default.
    pub time_named: bool,
    pub motifs: Motifs,
    /// A hash of the prompt's words, so plans alike still give different pictures.
    pub word_hash: u64,
}

impl Plan {
    /// The plan as `{"scene": …, "subjects": [{"kind": …, "color": …}],
    /// "colors": {…}, "style": …, "time": …}`. General palette words appear in
    /// `colors` under "palette", colours qualifying nothing under "tint".
    pub fn to_json(&self) -> String {
        let subjects: Vec<String> = self
            .subjects
            .iter()
            .map(|s| {
                let color = s.color.map_or("null".to_string(), |c| format!("\"{c}\""));
                format!("{{\"kind\": \"{}\", \"color\": {color}}}", s.kind.name())
            })
            .collect();
        let colors: Vec<String> = self
            .json_colors()
            .iter()
            .map(|(k, v)| format!("\"{k}\": \"{v}\""))
            .collect();
        format!(
            "{{\"scene\": \"{}\", \"subjects\": [{}], \"colors\": {{{}}}, \"style\": \"{}\", \"time\": \"{}\"}}",
            self.scene.name(),
            subjects.join(", "),
            colors.join(", "),
            self.style.name(),
            self.time.name()
        )
    }

    fn json_colors(&self) -> BTreeMap<&'static str, String> {
        let mut out: BTreeMap<&'static str, String> = self
            .colors
            .iter()
            .map(|(k, v)| (*k, v.to_string()))
            .collect();
        if let Some(m) = self.mood {
            out.insert("palette", m.name().to_string());
        }
        if !self.tints.is_empty() {
            out.insert("tint", self.tints.join(" "));
        }
        out
    }

    pub fn has(&self, kind: Kind) -> bool {
        self.subjects.iter().any(|s| s.kind == kind)
    }
}

/// Colour names and their sRGB values.
pub const COLORS: &[(&str, u32)] = &[
    ("red", 0xd42a2a),
    ("crimson", 0xb3123a),
    ("scarlet", 0xe0301e),
    ("ruby", 0xa8102e),
    ("orange", 0xf08a24),
    ("amber", 0xf0a020),
    ("gold", 0xe8b830),
    ("golden", 0xe8b830),
    ("yellow", 0xf2d22e),
    ("green", 0x2fa84f),
    ("emerald", 0x1f9e6a),
    ("lime", 0x9ad83a),
    ("olive", 0x7a8a30),
    ("teal", 0x1a9a9a),
    ("turquoise", 0x30c8c0),
    ("cyan", 0x28d0e8),
    ("aqua", 0x40d8e0),
    ("blue", 0x2a5ad8),
    ("azure", 0x3a8ae8),
    ("navy", 0x1a2a6a),
    ("cobalt", 0x1f4ab8),
    ("indigo", 0x3a2a90),
    ("purple", 0x7a2ab8),
    ("violet", 0x8a4ae0),
    ("lavender", 0xa890e0),
    ("lilac", 0xb890d8),
    ("pink", 0xf07ab0),
    ("magenta", 0xd82ab0),
    ("fuchsia", 0xe02aa0),
    ("black", 0x1a1a20),
    ("white", 0xf4f4f4),
    ("grey", 0x808488),
    ("gray", 0x808488),
    ("silver", 0xb8bcc4),
    ("brown", 0x7a4a2a),
    ("bronze", 0x9a6a30),
    ("copper", 0xb8643a),
    ("rust", 0xa84a20),
    ("beige", 0xd8c8a0),
    ("tan", 0xc89a68),
    ("ginger", 0xc8662a),
];

/// The value of a colour name from [`COLORS`].
pub fn color_value(name: &str) -> Option<u32> {
    COLORS.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
}

const SUBJECTS: &[(&str, Kind)] = {
    use Kind::*;
    &[
        ("figure", Figure),
        ("person", Figure),
        ("man", Figure),
        ("men", Figure),
        ("woman", Figure),
        ("women", Figure),
        ("girl", Figure),
        ("boy", Figure),
        ("child", Figure),
        ("children", Figure),
        ("kid", Figure),
        ("lady", Figure),
        ("gentleman", Figure),
        ("knight", Figure),
        ("wizard", Figure),
        ("witch", Figure),
        ("king", Figure),
        ("queen", Figure),
        ("princess", Figure),
        ("prince", Figure),
        ("warrior", Figure),
        ("samurai", Figure),
        ("soldier", Figure),
        ("monk", Figure),
        ("dancer", Figure),
        ("farmer", Figure),
        ("traveler", Figure),
        ("traveller", Figure),
        ("wanderer", Figure),
        ("hiker", Figure),
        ("fisherman", Figure),
        ("fishermen", Figure),
        ("cowboy", Figure),
        ("chef", Figure),
        ("sailor", Figure),
        ("ninja", Figure),
        ("robot", Figure),
        ("silhouette", Figure),
        ("portrait", Portrait),
        ("bust", Portrait),
        ("headshot", Portrait),
        ("selfie", Portrait),
        ("face", Portrait),
        ("peach", FruitBowl),
        ("mango", FruitBowl),
        ("berry", FruitBowl),
        ("orchard", Oak),
        ("crowd", Crowd),
        ("people", Crowd),
        ("audience", Crowd),
        ("festival", Crowd),
        ("cat", Cat),
        ("kitten", Cat),
        ("kitty", Cat),
        ("tabby", Cat),
        ("lion", Cat),
        ("lioness", Cat),
        ("tiger", Cat),
        ("leopard", Cat),
        ("panther", Cat),
        ("cheetah", Cat),
        ("lynx", Cat),
        ("dog", Dog),
        ("puppy", Dog),
        ("pup", Dog),
        ("hound", Dog),
        ("doggy", Dog),
        ("retriever", Dog),
        ("corgi", Dog),
        ("poodle", Dog),
        ("labrador", Dog),
        ("wolf", Dog),
        ("wolves", Dog),
        ("bird", Bird),
        ("sparrow", Bird),
        ("robin", Bird),
        ("parrot", Bird),
        ("eagle", Bird),
        ("owl", Bird),
        ("crow", Bird),
        ("raven", Bird),
        ("seagull", Bird),
        ("gull", Bird),
        ("swan", Bird),
        ("duck", Bird),
        ("pigeon", Bird),
        ("hummingbird", Bird),
        ("hawk", Bird),
        ("fox", Fox),
        ("vixen", Fox),
        ("horse", Horse),
        ("pony", Horse),
        ("stallion", Horse),
        ("mare", Horse),
        ("unicorn", Horse),
        ("deer", Horse),
        ("stag", Horse),
        ("elk", Horse),
        ("donkey", Horse),
        ("zebra", Horse),
        ("cow", Horse),
        ("fish", Fish),
        ("goldfish", Fish),
        ("koi", Fish),
        ("salmon", Fish),
        ("trout", Fish),
        ("shark", Fish),
        ("whale", Whale),
        ("orca", Whale),
        ("dolphin", Whale),
        ("butterfly", Butterfly),
        ("moth", Butterfly),
        ("dragon", Dragon),
        ("wyvern", Dragon),
        ("car", Car),
        ("automobile", Car),
        ("sedan", Car),
        ("taxi", Car),
        ("cab", Car),
        ("truck", Car),
        ("jeep", Car),
        ("van", Car),
        ("racecar", Car),
        ("convertible", Car),
        ("suv", Car),
        ("boat", Boat),
        ("ship", Boat),
        ("sailboat", Boat),
        ("yacht", Boat),
        ("canoe", Boat),
        ("kayak", Boat),
        ("ferry", Boat),
        ("vessel", Boat),
        ("galleon", Boat),
        ("steamboat", Boat),
        ("train", Train),
        ("locomotive", Train),
        ("railway", Train),
        ("tram", Train),
        ("plane", Plane),
        ("airplane", Plane),
        ("aeroplane", Plane),
        ("jet", Plane),
        ("aircraft", Plane),
        ("airliner", Plane),
        ("biplane", Plane),
        ("rocket", Rocket),
        ("spaceship", Rocket),
        ("spacecraft", Rocket),
        ("shuttle", Rocket),
        ("starship", Rocket),
        ("bicycle", Bicycle),
        ("bike", Bicycle),
        ("bycicle", Bicycle),
        ("bicylce", Bicycle),
        ("cyclist", Bicycle),
        ("house", House),
        ("home", House),
        ("villa", House),
        ("mansion", House),
        ("farmhouse", House),
        ("cabin", Cabin),
        ("hut", Cabin),
        ("lodge", Cabin),
        ("chalet", Cabin),
        ("cottage", Cabin),
        ("castle", Castle),
        ("fortress", Castle),
        ("palace", Castle),
        ("citadel", Castle),
        ("fort", Castle),
        ("lighthouse", Lighthouse),
        ("tower", Tower),
        ("spire", Tower),
        ("clocktower", Tower),
        ("minaret", Tower),
        ("temple", Temple),
        ("pagoda", Temple),
        ("shrine", Temple),
        ("church", Temple),
        ("cathedral", Temple),
        ("chapel", Temple),
        ("mosque", Temple),
        ("bridge", Bridge),
        ("windmill", Windmill),
        ("mill", Windmill),
        ("pine", Pine),
        ("fir", Pine),
        ("spruce", Pine),
        ("conifer", Pine),
        ("evergreen", Pine),
        ("christmastree", Pine),
        ("palm", Palm),
        ("palmtree", Palm),
        ("oak", Oak),
        ("tree", Oak),
        ("birch", Oak),
        ("maple", Oak),
        ("willow", Oak),
        ("sakura", Oak),
        ("flower", Flowers),
        ("rose", Flowers),
        ("tulip", Flowers),
        ("sunflower", Flowers),
        ("daisy", Flowers),
        ("daisies", Flowers),
        ("lily", Flowers),
        ("orchid", Flowers),
        ("bouquet", Flowers),
        ("poppy", Flowers),
        ("bloom", Flowers),
        ("blossom", Flowers),
        ("cactus", Cactus),
        ("cacti", Cactus),
        ("succulent", Cactus),
        ("saguaro", Cactus),
        ("cup", Cup),
        ("mug", Cup),
        ("teacup", Cup),
        ("coffee", Cup),
        ("tea", Cup),
        ("latte", Cup),
        ("espresso", Cup),
        ("fruit", FruitBowl),
        ("apple", FruitBowl),
        ("banana", FruitBowl),
        ("grape", FruitBowl),
        ("pear", FruitBowl),
        ("lemon", FruitBowl),
        ("book", Book),
        ("novel", Book),
        ("tome", Book),
        ("lamp", Lamp),
        ("lantern", Lamp),
        ("chandelier", Lamp),
        ("bottle", Bottle),
        ("wine", Bottle),
        ("vase", Bottle),
        ("potion", Bottle),
        ("jar", Bottle),
        ("cake", Cake),
        ("cupcake", Cake),
        ("pie", Cake),
        ("dessert", Cake),
        ("pastry", Cake),
        ("planet", Planet),
        ("saturn", Planet),
        ("jupiter", Planet),
        ("mars", Planet),
        ("exoplanet", Planet),
        ("moon", Moon),
        ("galaxy", Galaxy),
        ("galaxies", Galaxy),
        ("nebula", Galaxy),
        ("nebulae", Galaxy),
        ("milkyway", Galaxy),
        ("astronaut", Astronaut),
        ("cosmonaut", Astronaut),
        ("spaceman", Astronaut),
        ("window", Window),
        ("fireplace", Fireplace),
        ("hearth", Fireplace),
        ("table", Table),
        ("desk", Table),
        ("shelf", Shelf),
        ("shelves", Shelf),
        ("bookshelf", Shelf),
        ("bookshelves", Shelf),
        ("bookcase", Shelf),
    ]
};

/// Nouns that take a colour but are part of the background, by target name.
const TARGETS: &[(&str, &str)] = &[
    ("sky", "sky"),
    ("skies", "sky"),
    ("sun", "sun"),
    ("cloud", "clouds"),
    ("sea", "water"),
    ("ocean", "water"),
    ("water", "water"),
    ("lake", "water"),
    ("river", "water"),
    ("wave", "water"),
    ("mountain", "mountains"),
    ("peak", "mountains"),
    ("hill", "ground"),
    ("desert", "ground"),
    ("sand", "ground"),
    ("dune", "ground"),
    ("grass", "ground"),
    ("field", "ground"),
    ("meadow", "ground"),
    ("ground", "ground"),
    ("land", "ground"),
    ("floor", "ground"),
    ("forest", "trees"),
    ("woods", "trees"),
    ("leaves", "trees"),
    ("background", "background"),
    ("backdrop", "background"),
    ("wall", "background"),
    ("room", "background"),
    ("light", "light"),
    ("lighting", "light"),
    ("glow", "light"),
];

#[derive(Clone, Copy)]
enum Motif {
    Water,
    Mountains,
    Forest,
    City,
    Desert,
    Snow,
    Neon,
    Mist,
    Moon,
}

const MOTIFS: &[(&str, Motif)] = &[
    ("ocean", Motif::Water),
    ("sea", Motif::Water),
    ("seascape", Motif::Water),
    ("lake", Motif::Water),
    ("river", Motif::Water),
    ("water", Motif::Water),
    ("beach", Motif::Water),
    ("coast", Motif::Water),
    ("shore", Motif::Water),
    ("bay", Motif::Water),
    ("harbor", Motif::Water),
    ("harbour", Motif::Water),
    ("pond", Motif::Water),
    ("reflection", Motif::Water),
    ("wave", Motif::Water),
    ("island", Motif::Water),
    ("underwater", Motif::Water),
    ("mountain", Motif::Mountains),
    ("peak", Motif::Mountains),
    ("alp", Motif::Mountains),
    ("alpine", Motif::Mountains),
    ("hill", Motif::Mountains),
    ("ridge", Motif::Mountains),
    ("valley", Motif::Mountains),
    ("cliff", Motif::Mountains),
    ("canyon", Motif::Mountains),
    ("volcano", Motif::Mountains),
    ("summit", Motif::Mountains),
    ("forest", Motif::Forest),
    ("wood", Motif::Forest),
    ("woods", Motif::Forest),
    ("woodland", Motif::Forest),
    ("jungle", Motif::Forest),
    ("grove", Motif::Forest),
    ("taiga", Motif::Forest),
    ("city", Motif::City),
    ("skyline", Motif::City),
    ("town", Motif::City),
    ("village", Motif::City),
    ("building", Motif::City),
    ("skyscraper", Motif::City),
    ("street", Motif::City),
    ("downtown", Motif::City),
    ("metropolis", Motif::City),
    ("urban", Motif::City),
    ("tokyo", Motif::City),
    ("desert", Motif::Desert),
    ("dune", Motif::Desert),
    ("sand", Motif::Desert),
    ("sahara", Motif::Desert),
    ("oasis", Motif::Desert),
    ("snow", Motif::Snow),
    ("snowy", Motif::Snow),
    ("snowfall", Motif::Snow),
    ("snowflake", Motif::Snow),
    ("winter", Motif::Snow),
    ("frozen", Motif::Snow),
    ("ice", Motif::Snow),
    ("icy", Motif::Snow),
    ("blizzard", Motif::Snow),
    ("arctic", Motif::Snow),
    ("neon", Motif::Neon),
    ("cyberpunk", Motif::Neon),
    ("synthwave", Motif::Neon),
    ("vaporwave", Motif::Neon),
    ("retrowave", Motif::Neon),
    ("outrun", Motif::Neon),
    ("cyber", Motif::Neon),
    ("mist", Motif::Mist),
    ("misty", Motif::Mist),
    ("fog", Motif::Mist),
    ("foggy", Motif::Mist),
    ("haze", Motif::Mist),
    ("hazy", Motif::Mist),
    ("moonrise", Motif::Moon),
    ("moonlit", Motif::Moon),
];

const TIMES: &[(&str, TimeOfDay)] = &[
    ("dawn", TimeOfDay::Dawn),
    ("sunrise", TimeOfDay::Dawn),
    ("morning", TimeOfDay::Dawn),
    ("daybreak", TimeOfDay::Dawn),
    ("day", TimeOfDay::Day),
    ("daytime", TimeOfDay::Day),
    ("noon", TimeOfDay::Day),
    ("midday", TimeOfDay::Day),
    ("afternoon", TimeOfDay::Day),
    ("sunny", TimeOfDay::Day),
    ("sunshine", TimeOfDay::Day),
    ("sunset", TimeOfDay::Sunset),
    ("dusk", TimeOfDay::Sunset),
    ("evening", TimeOfDay::Sunset),
    ("twilight", TimeOfDay::Sunset),
    ("sundown", TimeOfDay::Sunset),
    ("goldenhour", TimeOfDay::Sunset),
    ("night", TimeOfDay::Night),
    ("nighttime", TimeOfDay::Night),
    ("midnight", TimeOfDay::Night),
    ("starry", TimeOfDay::Night),
    ("star", TimeOfDay::Night),
    ("starlight", TimeOfDay::Night),
    ("moonlight", TimeOfDay::Night),
    ("moonlit", TimeOfDay::Night),
];

const STYLES: &[(&str, Style)] = &[
    ("oil", Style::Oil),
    ("oilpainting", Style::Oil),
    ("impasto", Style::Oil),
    ("painterly", Style::Oil),
    ("vangogh", Style::Oil),
    ("watercolor", Style::Watercolor),
    ("watercolour", Style::Watercolor),
    ("aquarelle", Style::Watercolor),
    ("gouache", Style::Watercolor),
    ("sketch", Style::Sketch),
    ("pencil", Style::Sketch),
    ("ink", Style::Sketch),
    ("drawing", Style::Sketch),
    ("charcoal", Style::Sketch),
    ("lineart", Style::Sketch),
    ("pixel", Style::Pixel),
    ("pixelart", Style::Pixel),
    ("pixelated", Style::Pixel),
    ("8bit", Style::Pixel),
    ("16bit", Style::Pixel),
    ("lowpoly", Style::LowPoly),
    ("polygonal", Style::LowPoly),
    ("faceted", Style::LowPoly),
    ("anime", Style::Anime),
    ("manga", Style::Anime),
    ("cel", Style::Anime),
    ("celshaded", Style::Anime),
    ("cartoon", Style::Anime),
    ("ghibli", Style::Anime),
    ("toon", Style::Anime),
    ("photo", Style::Photo),
    ("photograph", Style::Photo),
    ("photography", Style::Photo),
    ("photorealistic", Style::Photo),
    ("realistic", Style::Photo),
    ("cinematic", Style::Photo),
    ("bokeh", Style::Photo),
    ("dslr", Style::Photo),
    ("35mm", Style::Photo),
    ("vintage", Style::Vintage),
    ("film", Style::Vintage),
    ("retro", Style::Vintage),
    ("sepia", Style::Vintage),
    ("polaroid", Style::Vintage),
    ("analog", Style::Vintage),
    ("analogue", Style::Vintage),
    ("kodachrome", Style::Vintage),
    ("neon", Style::Neon),
    ("synthwave", Style::Neon),
    ("cyberpunk", Style::Neon),
    ("vaporwave", Style::Neon),
    ("retrowave", Style::Neon),
    ("outrun", Style::Neon),
];

const MOODS: &[(&str, Mood)] = &[
    ("pastel", Mood::Pastel),
    ("monochrome", Mood::Monochrome),
    ("monochromatic", Mood::Monochrome),
    ("grayscale", Mood::Monochrome),
    ("greyscale", Mood::Monochrome),
    ("blackandwhite", Mood::Monochrome),
    ("noir", Mood::Monochrome),
    ("goldenhour", Mood::Golden),
    ("golden", Mood::Golden),
    ("dark", Mood::Dark),
    ("moody", Mood::Dark),
    ("gloomy", Mood::Dark),
    ("gothic", Mood::Dark),
    ("somber", Mood::Dark),
    ("vibrant", Mood::Vivid),
    ("vivid", Mood::Vivid),
    ("colorful", Mood::Vivid),
    ("colourful", Mood::Vivid),
    ("muted", Mood::Muted),
    ("faded", Mood::Muted),
    ("desaturated", Mood::Muted),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Outdoor,
    Interior,
    Space,
    Portrait,
    Abstract,
}

const PLACES: &[(&str, Place)] = &[
    ("landscape", Place::Outdoor),
    ("scenery", Place::Outdoor),
    ("countryside", Place::Outdoor),
    ("nature", Place::Outdoor),
    ("outdoors", Place::Outdoor),
    ("room", Place::Interior),
    ("interior", Place::Interior),
    ("indoors", Place::Interior),
    ("indoor", Place::Interior),
    ("inside", Place::Interior),
    ("bedroom", Place::Interior),
    ("kitchen", Place::Interior),
    ("library", Place::Interior),
    ("livingroom", Place::Interior),
    ("cafe", Place::Interior),
    ("attic", Place::Interior),
    ("stilllife", Place::Interior),
    ("space", Place::Space),
    ("outerspace", Place::Space),
    ("cosmos", Place::Space),
    ("cosmic", Place::Space),
    ("orbit", Place::Space),
    ("universe", Place::Space),
    ("interstellar", Place::Space),
    ("portrait", Place::Portrait),
    ("headshot", Place::Portrait),
    ("bust", Place::Portrait),
    ("studio", Place::Portrait),
    ("closeup", Place::Portrait),
    ("abstract", Place::Abstract),
    ("swirl", Place::Abstract),
    ("swirling", Place::Abstract),
    ("fractal", Place::Abstract),
    ("geometric", Place::Abstract),
    ("pattern", Place::Abstract),
];

/// Words that end a colour's reach: "a red desert under a blue sky".
const STOPS: &[&str] = &[
    "under", "with", "on", "in", "at", "of", "over", "above", "below", "beside", "near", "by",
    "behind", "from", "into", "onto", "through", "across", "against", "beneath", "and", "or",
    "the", "a", "an", "is", "are", "was", "were", "has", "have", "its", "their", "to", "while",
];

/// Common words never corrected toward a vocabulary word they are one letter from.
const NOT_TYPOS: &[&str] = &[
    "ramen", "there", "where", "these", "those", "three", "their", "other", "plant", "plants",
    "paint", "house", "horse", "mouse", "moose", "goose", "cloth", "clothes", "about", "would",
    "could", "should", "shore", "store", "stone", "stones", "tiger", "tigers", "glass", "grass",
    "green", "light", "night", "right", "might", "sight", "tight", "eight", "fight", "while",
    "white", "shine", "shiny", "table", "cable", "fable", "sable", "label", "eagle", "beagle",
    "power", "lower", "tower", "mower", "water", "later", "cater", "rider", "spider", "cider",
    "wider", "fridge", "lambs", "camel", "camels", "plain", "plains", "trail", "brain", "grain",
    "drain", "chain", "stain", "spain", "frame", "flame", "flames", "crane", "crate", "coats",
    "goats", "catch", "floor", "flour", "chase", "cause", "pause", "space", "place", "spare",
    "spice", "spade", "piece", "peace", "moody", "woody", "muddy", "candy", "handy", "sandy",
    "windy", "lonely", "lovely", "early", "wooden", "golden", "woman", "women", "human", "roman",
    "clean", "steam", "stream", "dream", "dreams", "cream", "scream", "bench", "reach", "teach",
    "share", "short", "shone", "liver", "diver", "giver", "valley", "volley", "forget", "jingle",
    "glove", "grave", "prove", "drove", "basis", "winner", "musty", "minty", "soggy", "mourning",
    "midway", "funny", "bunny", "carrot", "cattle", "battle", "crown", "daily", "demon", "track",
    "trick", "berry", "pocket", "locket", "socket", "shuffle", "pillow", "broom", "gloom",
    "toffee", "matte", "apply", "grace", "grade", "drape", "grate", "handle", "motion", "notion",
    "lotion", "portion", "widow", "shell", "shells", "chill", "lizard", "watch", "pitch", "ditch",
    "switch", "price", "dance", "danger", "former", "warmer", "tailor", "private", "sound",
    "round", "found", "bound", "wound", "mound", "pound", "whole", "animal", "animals", "carton",
    "metro", "greed", "greet", "fellow", "mellow", "bellow", "alive", "violent", "block", "blank",
    "write", "sliver", "grown", "drown", "frown", "brows", "hopper", "finger", "singer", "ember",
    "embers", "cables", "wonder", "under", "order",
];

/// Tries the word itself, then simple English stems ("cities" → "city",
/// "dunes" → "dune", "snowy" → "snow").
fn lookup<T: Copy>(table: &[(&str, T)], word: &str) -> Option<T> {
    let find = |w: &str| table.iter().find(|(k, _)| *k == w).map(|(_, v)| *v);
    if let Some(v) = find(word) {
        return Some(v);
    }
    if word.len() < 4 {
        return None;
    }
    if let Some(stem) = word.strip_suffix("ies")
        && let Some(v) = find(&format!("{stem}y"))
    {
        return Some(v);
    }
    if let Some(stem) = word.strip_suffix("ves")
        && let Some(v) = find(&format!("{stem}f"))
    {
        return Some(v);
    }
    for suffix in ["es", "s", "y"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && let Some(v) = find(stem)
        {
            return Some(v);
        }
    }
    None
}

/// True when `a` becomes `b` by one insertion, deletion, substitution or swap
/// of neighbouring letters.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Less => ra == &rb[1..],
        std::cmp::Ordering::Greater => &ra[1..] == rb,
    }
}

/// The vocabulary word of at least five letters that `word` is one typo away
/// from, if there is exactly one such spelling.
fn correct(word: &str) -> Option<&'static str> {
    if word.len() < 5 || NOT_TYPOS.contains(&word) || word.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut found: Option<&'static str> = None;
    let keys = SUBJECTS
        .iter()
        .map(|(k, _)| *k)
        .chain(PLACES.iter().map(|(k, _)| *k))
        .chain(MOTIFS.iter().map(|(k, _)| *k))
        .chain(STYLES.iter().map(|(k, _)| *k))
        .chain(TIMES.iter().map(|(k, _)| *k));
    for key in keys.filter(|k| k.len() >= 5) {
        let plural = word.strip_suffix('s').unwrap_or(word);
        if one_edit(word, key) || (plural.len() >= 5 && one_edit(plural, key)) {
            match found {
                Some(f) if f != key => return None,
                _ => found = Some(key),
            }
        }
    }
    found
}

/// Lower-cased alphanumeric words, with two- and three-word phrases from the
/// tables joined ("low poly" → "lowpoly"). Bounded so a huge prompt costs little.
fn words(prompt: &str) -> Vec<String> {
    let raw: Vec<String> = prompt
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(600)
        .map(|w| w.chars().take(32).flat_map(char::to_lowercase).collect())
        .collect();
    let known = |w: &str| {
        lookup(SUBJECTS, w).is_some()
            || lookup(STYLES, w).is_some()
            || lookup(PLACES, w).is_some()
            || lookup(TIMES, w).is_some()
            || lookup(MOODS, w).is_some()
    };
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if i + 2 < raw.len() {
            let three = format!("{}{}{}", raw[i], raw[i + 1], raw[i + 2]);
            if three == "blackandwhite" || three == "bowloffruit" {
                out.push(if three == "bowloffruit" {
                    "fruit".into()
                } else {
                    three
                });
                i += 3;
                continue;
            }
        }
        if i + 1 < raw.len() {
            let two = format!("{}{}", raw[i], raw[i + 1]);
            // "oil painting", "pixel art", "ink drawing", "space ship", ...
            let joined = match two.as_str() {
                "pixelart" | "oilpainting" | "lowpoly" | "goldenhour" | "livingroom"
                | "stilllife" | "outerspace" | "milkyway" | "vangogh" | "celshaded" | "lineart"
                | "christmastree" | "palmtree" => Some(two),
                _ if raw[i + 1] == "bit" && (raw[i] == "8" || raw[i] == "16") => Some(two),
                _ if known(&two) && raw[i].len() > 2 && raw[i + 1].len() > 2 => Some(two),
                _ => None,
            };
            if let Some(j) = joined {
                out.push(j);
                i += 2;
                continue;
            }
        }
        out.push(raw[i].clone());
        i += 1;
    }
    out
}

/// What one word of the prompt stands for, for colour binding.
#[derive(Clone, Copy, PartialEq)]
enum Token {
    Color(&'static str),
    Subject(Kind),
    Target(&'static str),
    Stop,
    Other,
}

fn color_name(word: &str) -> Option<&'static str> {
    COLORS.iter().find(|(k, _)| *k == word).map(|(k, _)| *k)
}

/// Reads the prompt and decides what to draw: the plan the renderer paints
/// from, and, through [`Plan::to_json`], what `explain` shows people.
/// Deterministic, and cheap enough to run on every keystroke.
pub fn understand(prompt: &str) -> Plan {
    let raw = words(prompt);
    // Colour words stay out of the hash, so "a red car" and "a blue car" share
    // their composition and differ only in the car.
    let uncoloured: Vec<&str> = raw
        .iter()
        .map(String::as_str)
        .filter(|w| color_name(w).is_none())
        .collect();
    let word_hash = crate::rng::hash_bytes(uncoloured.join(" ").as_bytes());
    // Typos are corrected once, up front, so every table sees the fixed word.
    let words: Vec<String> = raw
        .iter()
        .map(|w| {
            let known = color_name(w).is_some()
                || lookup(SUBJECTS, w).is_some()
                || lookup(MOTIFS, w).is_some()
                || lookup(TIMES, w).is_some()
                || lookup(STYLES, w).is_some()
                || lookup(PLACES, w).is_some()
                || lookup(MOODS, w).is_some()
                || lookup(TARGETS, w).is_some()
                || STOPS.contains(&w.as_str());
            match known {
                true => w.clone(),
                false => correct(w).map_or_else(|| w.clone(), str::to_string),
            }
        })
        .collect();

    let mut motifs = Motifs::default();
    let mut time = None;
    let mut style = None;
    let mut retro = false;
    let mut mood = None;
    let mut places: Vec<Place> = Vec::new();
    let mut tokens = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        if let Some(m) = lookup(MOTIFS, w) {
            match m {
                Motif::Water => motifs.water = true,
                Motif::Mountains => motifs.mountains = true,
                Motif::Forest => motifs.forest = true,
                Motif::City => motifs.city = true,
                Motif::Desert => motifs.desert = true,
                Motif::Snow => motifs.snow = true,
                Motif::Neon => motifs.neon = true,
                Motif::Mist => motifs.mist = true,
                Motif::Moon => motifs.moon = true,
            }
        }
        if let Some(t) = lookup(TIMES, w) {
            // The first named time wins: "sunset ... night sky" is a sunset.
            time.get_or_insert(t);
        }
        if let Some(s) = lookup(STYLES, w) {
            // "oil" alone could be anything; "oil painting" or "oil on canvas" is a style.
            let next = words.get(i + 1).map(String::as_str);
            // "retro" gives way to any other style word: "retro synthwave" is neon.
            if w == "retro" {
                retro = true;
            } else if s != Style::Oil
                || w != "oil"
                || matches!(next, Some("painting" | "paint" | "on"))
            {
                style.get_or_insert(s);
            }
        }
        if let Some(p) = lookup(PLACES, w) {
            places.push(p);
        }
        let color = color_name(w);
        if let Some(m) = lookup(MOODS, w)
            && color.is_none()
        {
            mood.get_or_insert(m);
        }
        let token = if let Some(c) = color {
            Token::Color(c)
        } else if let Some(k) = lookup(SUBJECTS, w) {
            Token::Subject(k)
        } else if let Some(t) = lookup(TARGETS, w) {
            Token::Target(t)
        } else if STOPS.contains(&w.as_str()) {
            Token::Stop
        } else {
            Token::Other
        };
        tokens.push(token);
    }

    let mut subjects: Vec<Subject> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let Token::Subject(kind) = *t else { continue };
        // "pine trees", "palm tree": the generic noun belongs to the plant before it.
        if kind == Kind::Oak
            && words[i].starts_with("tree")
            && i > 0
            && matches!(tokens[i - 1], Token::Subject(k) if k.family() == Family::Plants)
        {
            continue;
        }
        // "a room with a window and a lamp" keeps "room" as the place, not a subject.
        if !subjects.iter().any(|s| s.kind == kind) && subjects.len() < 6 {
            subjects.push(Subject { kind, color: None });
        }
    }

    // Colours qualify the next noun within reach; "the sky is blue" binds backwards.
    let mut colors: BTreeMap<&'static str, &'static str> = BTreeMap::new();
    let mut tints: Vec<&'static str> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let Token::Color(c) = *t else { continue };
        // Colours and adjectives may stand between: "a red and white lighthouse".
        let mut ahead = None;
        for (j, t) in tokens.iter().enumerate().skip(i + 1).take(3) {
            match t {
                Token::Subject(_) | Token::Target(_) => {
                    ahead = Some(*t);
                    break;
                }
                Token::Stop
                    if matches!(words[j].as_str(), "and" | "or")
                        && matches!(tokens.get(j + 1), Some(Token::Color(_))) => {}
                Token::Stop => break,
                _ => {}
            }
        }
        let behind = match (i.checked_sub(2).map(|j| tokens[j]), i.checked_sub(1)) {
            (Some(t @ (Token::Subject(_) | Token::Target(_))), Some(j))
                if matches!(words[j].as_str(), "is" | "are" | "was" | "were") =>
            {
                Some(t)
            }
            _ => None,
        };
        match ahead.or(behind) {
            Some(Token::Subject(k)) => {
                if let Some(s) = subjects.iter_mut().find(|s| s.kind == k) {
                    s.color.get_or_insert(c);
                }
            }
            Some(Token::Target(target)) => {
                colors.entry(target).or_insert(c);
            }
            _ if c == "golden" => {
                mood.get_or_insert(Mood::Golden);
            }
            _ => {
                if !tints.contains(&c) && tints.len() < 3 {
                    tints.push(c);
                }
            }
        }
    }

    // What each subject implies for the scenery.
    for s in &subjects {
        match s.kind {
            Kind::Boat | Kind::Whale | Kind::Fish | Kind::Lighthouse => motifs.water = true,
            Kind::Cactus => motifs.desert = true,
            // Pines are rarely alone: "snowy pines" is a forest of them.
            Kind::Pine => motifs.forest = true,
            _ => {}
        }
    }

    let has_family = |f: Family| subjects.iter().any(|s| s.kind.family() == f);
    let has_kind = |k: Kind| subjects.iter().any(|s| s.kind == k);
    let space_things =
        has_kind(Kind::Planet) || has_kind(Kind::Galaxy) || has_kind(Kind::Astronaut);
    let indoor_things = has_family(Family::Interiors)
        || (has_family(Family::Objects) && !motifs.any_scenery() && !space_things);
    let scene = if places.contains(&Place::Portrait) || has_kind(Kind::Portrait) {
        SceneKind::Portrait
    } else if places.contains(&Place::Interior) || indoor_things {
        SceneKind::Interior
    } else if places.contains(&Place::Space) || (space_things && !motifs.any_scenery()) {
        SceneKind::Space
    } else if motifs.neon {
        SceneKind::Neon
    } else if places.contains(&Place::Abstract) {
        SceneKind::Abstract
    } else if !subjects.is_empty()
        || motifs.any_scenery()
        || time.is_some()
        || motifs.moon
        || places.contains(&Place::Outdoor)
        || ["sky", "ground", "water", "mountains", "trees"]
            .iter()
            .any(|t| colors.contains_key(t))
    {
        SceneKind::Landscape
    } else {
        SceneKind::Abstract
    };
    if has_kind(Kind::Moon) && scene != SceneKind::Space {
        motifs.moon = true;
    }
    // "a cozy cabin interior": the building is the room itself.
    if scene == SceneKind::Interior {
        subjects.retain(|s| s.kind.family() != Family::Buildings);
    }

    // A person in a portrait is a bust; a portrait with no one named is one too.
    if scene == SceneKind::Portrait {
        if let Some(s) = subjects.iter_mut().find(|s| s.kind == Kind::Figure) {
            s.kind = Kind::Portrait;
        }
        let mut seen = Vec::new();
        subjects.retain(|s| {
            let fresh = !seen.contains(&s.kind);
            seen.push(s.kind);
            fresh
        });
        let named_other = subjects.iter().any(|s| s.kind != Kind::Portrait);
        if subjects.is_empty() {
            subjects.push(Subject {
                kind: Kind::Portrait,
                color: None,
            });
        } else if named_other && words.iter().any(|w| w == "portrait") {
            // "portrait of a cat": the cat is the sitter, not a second person.
            subjects.retain(|s| s.kind != Kind::Portrait);
        }
    }
    if motifs.moon && time.is_none() {
        time = Some(TimeOfDay::Night);
    }
    let time_named = time.is_some();
    let time = time.unwrap_or(match scene {
        SceneKind::Neon | SceneKind::Space => TimeOfDay::Night,
        _ => TimeOfDay::Day,
    });
    let style = style.unwrap_or(if motifs.neon {
        Style::Neon
    } else if retro {
        Style::Vintage
    } else {
        Style::None
    });

    Plan {
        scene,
        subjects,
        colors,
        tints,
        mood,
        style,
        time,
        time_named,
        motifs,
        word_hash,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_catches_the_four_kinds_of_typo() {
        assert!(one_edit("castle", "catle"));
        assert!(one_edit("dragon", "drgaon"));
        assert!(one_edit("dragon", "drogon"));
        assert!(one_edit("lighthose", "lighthouse"));
        assert!(!one_edit("dragon", "dragon"));
        assert!(!one_edit("dragon", "wagon"));
    }

    #[test]
    fn common_words_are_not_corrected() {
        assert_eq!(correct("there"), None);
        assert_eq!(correct("plant"), None);
        assert_eq!(correct("catle"), Some("castle"));
    }
}
