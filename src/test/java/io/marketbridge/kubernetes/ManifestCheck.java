package io.marketbridge.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered manifests as the Kubernetes API would: each object must be a kind the Kubernetes
 * model knows, and every field must be one its schema has. The model keeps unknown fields aside
 * (in "additional properties") instead of refusing them; this check refuses them, so a typo in a
 * manifest ("replcas") fails the build rather than being ignored by the cluster.
 */
final class ManifestCheck {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    private ManifestCheck() {
    }

    /** Every object of the YAML documents, typed; throws naming each unknown kind or field. */
    static List<HasMetadata> read(String yaml) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isEmpty()) {
                    continue;
                }
                String apiVersion = document.path("apiVersion").asText();
                String kind = document.path("kind").asText();
                String name = kind + "/" + document.path("metadata").path("name").asText();
                Class<? extends KubernetesResource> type = KUBERNETES.getRegisteredKubernetesResource(apiVersion, kind);
                if (type == null || !HasMetadata.class.isAssignableFrom(type)) {
                    problems.add(name + ": no kind " + kind + " in " + apiVersion);
                    continue;
                }
                HasMetadata object = (HasMetadata) KUBERNETES.unmarshal(JSON.writeValueAsString(document), type);
                unknownFields(object, name, problems);
                objects.add(object);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("manifests the Kubernetes API would refuse or misread:\n  "
                    + String.join("\n  ", problems));
        }
        return objects;
    }

    /** Walks the typed object; a non-empty "additional properties" anywhere is a field the schema lacks. */
    private static void unknownFields(Object value, String path, List<String> problems) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "[" + i + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, entry) -> unknownFields(entry, path + "." + key, problems));
            return;
        }
        if (value == null || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else {
                String property = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
                unknownFields(field, path + "." + property, problems);
            }
        }
    }
}
